using System.Net;
using Dapper;
using Tandem.Server.Demo;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Demo;

/// <summary>`tandem demo` must open on a workspace with something real on every screen, and never seed twice.</summary>
public abstract class DemoWorkspaceTests(DatabaseProvider provider)
{
    private const int People = 120;
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string?> DemoSettings => new()
    {
        ["Tandem:Demo"] = "true",
        ["Tandem:DemoPeople"] = People.ToString(),
    };

    private sealed record Counts(long People, long Accounts, long Campaigns, long Channels, long Activities, long StageChanges, long Users, long Keys,
        long Programs, long Templates, long Enrollments, long Sends, long Tasks);

    private static Task<Counts> CountAsync(Database db) => db.ReadAsync(c => c.QuerySingleAsync<Counts>(
        "SELECT (SELECT COUNT(*) FROM people) AS People, (SELECT COUNT(*) FROM accounts) AS Accounts, " +
        "(SELECT COUNT(*) FROM campaigns) AS Campaigns, (SELECT COUNT(DISTINCT channel) FROM campaigns) AS Channels, " +
        "(SELECT COUNT(*) FROM activities) AS Activities, (SELECT COUNT(*) FROM stage_changes) AS StageChanges, " +
        "(SELECT COUNT(*) FROM users) AS Users, (SELECT COUNT(*) FROM api_keys) AS Keys, " +
        "(SELECT COUNT(*) FROM nurture_programs) AS Programs, (SELECT COUNT(*) FROM email_templates) AS Templates, " +
        "(SELECT COUNT(*) FROM nurture_enrollments) AS Enrollments, (SELECT COUNT(*) FROM email_sends) AS Sends, (SELECT COUNT(*) FROM tasks) AS Tasks"));

    [Fact]
    public async Task Demo_seeds_people_accounts_campaigns_activity_users_and_an_admin_key()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await DemoWorkspaces.StartAsync(provider, Now, People);
        var counts = await CountAsync(server.Database);

        // Two generated people can share a name at one company and become one person, as real capture would make them.
        Assert.InRange(counts.People, People * 9 / 10, People);
        Assert.True(counts.Accounts >= 10, $"only {counts.Accounts} accounts");
        Assert.Equal(DemoData.Campaigns.Length, counts.Campaigns);
        Assert.True(counts.Channels >= 5, $"campaigns span only {counts.Channels} channels");
        Assert.True(counts.Activities > counts.People, $"{counts.Activities} activities for {counts.People} people");
        Assert.Equal(DemoUsers.All.Count, counts.Users);

        var (oldest, newest) = await server.Database.ReadAsync(c => c.QuerySingleAsync<(long, long)>(
            "SELECT MIN(occurred_at), MAX(occurred_at) FROM activities"), ct);
        Assert.True(oldest >= Now.AddDays(-90).ToUnixTimeMilliseconds() && newest <= Now.ToUnixTimeMilliseconds());
        Assert.True(newest - oldest > TimeSpan.FromDays(60).TotalMilliseconds, "activity should spread over the 90 days");

        var stages = (await server.Database.ReadAsync(c => c.QueryAsync<string>("SELECT DISTINCT stage FROM people"), ct)).ToHashSet();
        Assert.Superset(new HashSet<string> { "Lead", "MQL", "SQL" }, stages);
        var emails = (await server.Database.ReadAsync(c => c.QueryAsync<string>("SELECT email FROM users"), ct)).ToHashSet();
        Assert.Equal(DemoUsers.All.Select(u => u.Email).ToHashSet(), emails);

        // The key printed at start is an admin key the API accepts.
        var key = DemoWorkspace.ReadKey(server.DataDir);
        Assert.NotNull(key);
        using var admin = server.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/keys", ct)).StatusCode);
        var listed = await admin.GetJsonAsync("/api/v1/people?limit=5");
        Assert.Equal(5, listed.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Demo_runs_a_welcome_and_a_re_engagement_program_with_history()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await DemoWorkspaces.StartAsync(provider, Now, People);
        var db = server.Database;
        var now = Now.ToUnixTimeMilliseconds();

        var programs = (await db.ReadAsync(c => c.QueryAsync<(string Name, string Kind, string Status, long? Version)>(
            "SELECT name, kind, status, current_version FROM nurture_programs ORDER BY name"), ct)).ToList();
        Assert.Equal([("Re-engagement", "re-engagement", "active", 1L), ("Welcome series", "welcome", "active", 1L)],
            programs.Select(p => (p.Name, p.Kind, p.Status, p.Version ?? 0)).ToList());
        Assert.Equal("3/7", await db.ReadAsync(c => c.QuerySingleAsync<string>("SELECT value FROM workspace_settings WHERE key = 'email.frequency_cap'"), ct));

        // Only history: every send went out in the past; nothing is queued for the sender.
        var sends = await db.ReadAsync(c => c.QuerySingleAsync<(long All, long Sent, long Future, long Opened, long Clicked, long Replied, long Unsubscribed, long Bounced)>(
            "SELECT COUNT(*), SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END), SUM(CASE WHEN sent_at > @now THEN 1 ELSE 0 END), " +
            "SUM(CASE WHEN first_opened_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN first_clicked_at IS NOT NULL THEN 1 ELSE 0 END), " +
            "SUM(CASE WHEN replied_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN unsubscribed_at IS NOT NULL THEN 1 ELSE 0 END), " +
            "SUM(CASE WHEN bounce_kind = 'hard' THEN 1 ELSE 0 END) FROM email_sends", new { now }), ct);
        Assert.True(sends.All > 0);
        Assert.Equal(sends.All, sends.Sent);
        Assert.Equal(0, sends.Future);
        Assert.True(sends.Opened > 0 && sends.Opened < sends.All, $"{sends.Opened} of {sends.All} opened");
        Assert.True(sends.Clicked > 0 && sends.Clicked < sends.Opened, $"{sends.Clicked} of {sends.Opened} clicked");
        Assert.True(sends.Replied >= 1 && sends.Unsubscribed >= 1 && sends.Bounced >= 1, $"{sends.Replied} replies, {sends.Unsubscribed} unsubscribes, {sends.Bounced} bounces");

        var statuses = (await db.ReadAsync(c => c.QueryAsync<string>("SELECT DISTINCT status FROM nurture_enrollments"), ct)).ToHashSet();
        Assert.Superset(new HashSet<string> { "active", "completed", "exited", "held_out" }, statuses);
        Assert.True(await db.ReadAsync(c => c.QuerySingleAsync<long>(
            "SELECT COUNT(*) FROM nurture_enrollments WHERE status = 'active' AND due_at > @now", new { now }), ct) > 0, "some enrollments should still be waiting");
        Assert.Equal(0, await db.ReadAsync(c => c.QuerySingleAsync<long>(
            "SELECT COUNT(*) FROM nurture_enrollments WHERE status = 'active' AND (due_at IS NULL OR due_at <= @now)", new { now }), ct));
        var unsubscribed = await db.ReadAsync(c => c.QuerySingleAsync<(long Suppressed, long Logged, long Activities)>(
            "SELECT (SELECT COUNT(*) FROM email_suppressions WHERE reason = 'unsubscribed'), (SELECT COUNT(*) FROM email_consent_log WHERE action = 'opted_out'), " +
            "(SELECT COUNT(*) FROM activities WHERE type = 'email_unsubscribed')"), ct);
        Assert.Equal(sends.Unsubscribed, unsubscribed.Suppressed);
        Assert.Equal(sends.Unsubscribed, unsubscribed.Logged);
        Assert.Equal(sends.Unsubscribed, unsubscribed.Activities);
        Assert.Equal(sends.Replied, await db.ReadAsync(c => c.QuerySingleAsync<long>("SELECT COUNT(*) FROM activities WHERE type = 'email_replied'"), ct));
        var tasks = await db.ReadAsync(c => c.QuerySingleAsync<(long All, long Owned, long OpenAndOwned)>(
            "SELECT COUNT(*), COUNT(u.id), SUM(CASE WHEN u.id IS NOT NULL AND t.completed_at IS NULL THEN 1 ELSE 0 END) " +
            "FROM tasks t LEFT JOIN users u ON u.id = t.owner_id"), ct);
        Assert.True(tasks.OpenAndOwned > 0, $"a rep should have an open task: {tasks}");

        using var admin = server.Client(DemoWorkspace.ReadKey(server.DataDir));
        var listed = await admin.GetJsonAsync("/api/v1/nurture/programs");
        Assert.Equal(2, listed.GetArrayLength());
        foreach (var program in listed.EnumerateArray())
        {
            var figures = program.GetProperty("figures");
            var name = program.GetProperty("name").GetString();
            Assert.True(figures.GetProperty("enrolled").GetInt64() > 0, $"{name}: nobody enrolled");
            Assert.True(figures.GetProperty("emails").GetProperty("delivered").GetInt64() > 0, $"{name}: no emails");
            Assert.True(figures.GetProperty("emails").GetProperty("opened").GetInt64() > 0, $"{name}: no opens");
            Assert.NotEmpty(figures.GetProperty("steps").EnumerateArray());
        }

        // A person page shows the program's emails on the timeline.
        var personId = await db.ReadAsync(c => c.QuerySingleAsync<long>("SELECT person_id FROM email_sends WHERE first_clicked_at IS NOT NULL ORDER BY id LIMIT 1"), ct);
        var types = (await db.ReadAsync(c => c.QueryAsync<string>("SELECT type FROM activities WHERE person_id = @personId", new { personId }), ct)).ToHashSet();
        Assert.Superset(new HashSet<string> { "email_sent", "email_opened", "email_clicked" }, types);
    }

    [Fact]
    public async Task A_second_start_does_not_seed_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await TandemServer.StartAsync(provider, new ManualClock(Now), DemoSettings);
        var before = await CountAsync(first.Database);
        var key = DemoWorkspace.ReadKey(first.DataDir);

        await using var second = await first.RestartAsync();
        Assert.True(before.Programs == 2 && before.Enrollments > 0 && before.Sends > 0, $"{before}");
        Assert.Equal(before, await CountAsync(second.Database));
        Assert.Equal(key, DemoWorkspace.ReadKey(second.DataDir));
        using var admin = second.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/keys", ct)).StatusCode);
    }
}

public sealed class DemoWorkspaceTestsOnSqlite() : DemoWorkspaceTests(DatabaseProvider.Sqlite);

public sealed class DemoWorkspaceTestsOnPostgres() : DemoWorkspaceTests(DatabaseProvider.Postgres);

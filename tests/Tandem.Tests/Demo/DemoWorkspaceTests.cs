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

    private sealed record Counts(long People, long Accounts, long Campaigns, long Channels, long Activities, long StageChanges, long Users, long Keys);

    private static Task<Counts> CountAsync(Database db) => db.ReadAsync(c => c.QuerySingleAsync<Counts>(
        "SELECT (SELECT COUNT(*) FROM people) AS People, (SELECT COUNT(*) FROM accounts) AS Accounts, " +
        "(SELECT COUNT(*) FROM campaigns) AS Campaigns, (SELECT COUNT(DISTINCT channel) FROM campaigns) AS Channels, " +
        "(SELECT COUNT(*) FROM activities) AS Activities, (SELECT COUNT(*) FROM stage_changes) AS StageChanges, " +
        "(SELECT COUNT(*) FROM users) AS Users, (SELECT COUNT(*) FROM api_keys) AS Keys"));

    [Fact]
    public async Task Demo_seeds_people_accounts_campaigns_activity_users_and_an_admin_key()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, new ManualClock(Now), DemoSettings);
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
    public async Task A_second_start_does_not_seed_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await TandemServer.StartAsync(provider, new ManualClock(Now), DemoSettings);
        var before = await CountAsync(first.Database);
        var key = DemoWorkspace.ReadKey(first.DataDir);

        await using var second = await first.RestartAsync();
        Assert.Equal(before, await CountAsync(second.Database));
        Assert.Equal(key, DemoWorkspace.ReadKey(second.DataDir));
        using var admin = second.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/keys", ct)).StatusCode);
    }
}

public sealed class DemoWorkspaceTestsOnSqlite() : DemoWorkspaceTests(DatabaseProvider.Sqlite);

public sealed class DemoWorkspaceTestsOnPostgres() : DemoWorkspaceTests(DatabaseProvider.Postgres);

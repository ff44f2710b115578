using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tandem.Server.Nurture;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Routing;
using static Tandem.Tests.Nurture.NurtureWorkspace;

namespace Tandem.Tests.Nurture;

/// <summary>
/// Two Tandem servers on one PostgreSQL database, both running their nurture schedulers and ticked by hand at once,
/// with claims that lapse the moment they are made — the harshest race: any enrollment may be claimed by both. Every
/// step still happens once: emails, and tasks and notifications (which have no unique key of their own), are counted.
/// </summary>
[Collection(HeavyNurtureTests.Name)]
public sealed class NurtureExactlyOnceTests
{
    private const int Leads = 40;

    [Fact]
    public async Task Two_servers_sharing_one_postgres_database_run_each_step_exactly_once()
    {
        TestDatabases.RequirePostgres();
        var clock = new ManualClock(MondayNine);
        var racing = new Dictionary<string, string?>
        {
            ["Tandem:Nurture:TickSeconds"] = "0.05", ["Tandem:Nurture:LeaseSeconds"] = "0", ["Tandem:Email:SenderEnabled"] = "false",
        };
        await using var a = await TandemServer.StartAsync(DatabaseProvider.Postgres, clock, racing);
        await using var b = await TandemServer.StartAsync(DatabaseProvider.Postgres, clock, racing, a.ConnectionString);
        await StopSchedulersAsync(a, b);
        var api = await a.AdminClientAsync();
        var rep = await a.HireAsync("Rita");
        for (var i = 0; i < Leads; i++) await api.LeadAsync($"lead{i}@acme.io");
        await a.Database.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE people SET owner_id = @rep", new { rep }, tx), TestContext.Current.CancellationToken);
        var template = await a.Database.WriteAsync(async (c, tx) =>
        {
            foreach (var (key, value) in new[] { ("email.from_address", "hello@lumen.example"), ("email.physical_address", "1 Harbour St, Leith") })
                await c.ExecuteAsync("INSERT INTO workspace_settings (key, value) VALUES (@key, @value)", new { key, value }, tx);
            return await c.ExecuteScalarAsync<long>("INSERT INTO email_templates (name, kind, subject, body_markdown, created_at, updated_at) " +
                "VALUES ('Hello', 'marketing', 'Hello {{firstName}}', 'Hello.', 0, 0) RETURNING id", transaction: tx);
        }, TestContext.Current.CancellationToken);
        var program = await api.CreateProgramAsync("Race", "race", new
        {
            entry = new { filter = new { stage = "Lead" } },
            steps = new object[]
            {
                new { key = "hello", type = "email", templateId = template },
                new { key = "first", type = "task", title = "First call to {{firstName}}" },
                new { key = "pause", type = "wait", duration = "1d" },
                new { key = "second", type = "task", title = "Second call to {{firstName}}" },
                new { key = "tell", type = "notify", to = "owner", message = "{{firstName}} had both calls" },
            },
        });
        await (await api.PostAsync($"/api/v1/nurture/programs/{program}/enroll-matching", null, TestContext.Current.CancellationToken)).EnsureSuccessWithBodyAsync();

        await StartSchedulersAsync(a, b);
        await HammerAsync(a, b);
        await UntilNothingDueAsync(a.Database, clock);
        await StopSchedulersAsync(a, b);
        Assert.Equal(Leads, await a.Database.CountAsync("SELECT COUNT(*) FROM tasks WHERE title LIKE 'First%'"));
        Assert.Equal(0, await a.Database.CountAsync("SELECT COUNT(*) FROM tasks WHERE title LIKE 'Second%'"));

        clock.Advance(TimeSpan.FromDays(1));
        await StartSchedulersAsync(a, b);
        await HammerAsync(a, b);
        await UntilNothingDueAsync(a.Database, clock);
        await StopSchedulersAsync(a, b);

        Assert.Equal(2 * Leads, await a.Database.CountAsync("SELECT COUNT(*) FROM tasks"));
        Assert.Equal(2 * Leads, await a.Database.CountAsync("SELECT COUNT(DISTINCT person_id || ':' || title) FROM tasks"));
        Assert.Equal(Leads, await a.Database.CountAsync("SELECT COUNT(*) FROM notifications WHERE event = 'nurture.notify'"));
        Assert.Equal(5 * Leads, await a.Database.CountAsync("SELECT COUNT(*) FROM nurture_step_runs"));
        Assert.Equal(Leads, await a.Database.CountAsync("SELECT COUNT(*) FROM email_sends"));
        Assert.Equal(Leads, await a.Database.CountAsync("SELECT COUNT(DISTINCT person_id) FROM email_sends"));
        Assert.Equal(Leads, await a.Database.CountAsync("SELECT COUNT(*) FROM nurture_enrollments WHERE status = 'completed'"));
    }

    /// <summary>Eight concurrent hand ticks, four per server, on top of both schedulers.</summary>
    private static Task HammerAsync(TandemServer a, TandemServer b) =>
        Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).TickNurtureAsync(), TestContext.Current.CancellationToken)));

    private static Task UntilNothingDueAsync(Database db, ManualClock clock) =>
        Poll.UntilAsync(() => db.ReadAsync(c => c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM nurture_enrollments WHERE status = 'active' AND due_at <= @now", new { now = clock.GetUtcNow().ToUnixTimeMilliseconds() }),
            TestContext.Current.CancellationToken), left => left == 0, "no enrollment is due");

    /// <summary>Stops both schedulers and waits for them: a tick in flight commits or rolls back first, so the counts that follow are final.</summary>
    private static Task StopSchedulersAsync(params TandemServer[] servers) =>
        Task.WhenAll(servers.Select(s => SchedulerOf(s).StopAsync(CancellationToken.None)));

    private static Task StartSchedulersAsync(params TandemServer[] servers) =>
        Task.WhenAll(servers.Select(s => SchedulerOf(s).StartAsync(TestContext.Current.CancellationToken)));

    private static IHostedService SchedulerOf(TandemServer server) => server.Services.GetServices<IHostedService>().OfType<NurtureScheduler>().Single();
}

/// <summary>Tests that start several servers racing on one database run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyNurtureTests
{
    public const string Name = "Heavy nurture tests";
}

using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tandem.Server.Sla;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Sla.SlaWorkspace;

namespace Tandem.Tests.Sla;

/// <summary>
/// Two Tandem servers on one PostgreSQL database, both running their schedulers and being ticked by hand at once. Each
/// round waits until nothing due is left, then stops both schedulers before counting.
/// </summary>
[Collection(HeavySlaTests.Name)]
public sealed class SlaExactlyOnceTests
{
    private const int Leads = 30;

    [Fact]
    public async Task Two_servers_sharing_one_postgres_database_fire_each_reminder_and_breach_exactly_once()
    {
        TestDatabases.RequirePostgres();
        var clock = new ManualClock(MondayNine);
        var racing = new Dictionary<string, string?> { ["Tandem:Sla:TickSeconds"] = "0.05" };
        await using var a = await TandemServer.StartAsync(DatabaseProvider.Postgres, clock, racing);
        await using var b = await TandemServer.StartAsync(DatabaseProvider.Postgres, clock, racing, a.ConnectionString);
        var apiA = await a.AdminClientAsync();
        var apiB = await b.AdminClientAsync();
        var team = await SeedTeamAsync(a.Database);
        await apiA.CreateMqlPolicyAsync(await apiA.CreateOfficeCalendarAsync(), reassign: false);
        for (var i = 0; i < Leads; i++) await (i % 2 == 0 ? apiA : apiB).AssignedMqlAsync($"lead{i}@acme.io", team.Ana, team.TeamId);

        // 09:55: both first-touch reminders (50% at 09:30, 90% at 09:54) are due for every lead.
        clock.Advance(TimeSpan.FromMinutes(55));
        var manual = await HammerAsync(a, b);
        await UntilNoneAsync(a.Database, "SELECT COUNT(*) FROM sla_reminders WHERE sent_at IS NULL AND due_at <= @now", clock);
        await StopSchedulersAsync(a, b);
        Assert.Equal(2 * Leads, await CountAsync(a.Database, "SELECT COUNT(*) FROM notifications WHERE event = 'sla.reminder'"));
        Assert.True(manual.Reminders <= 2 * Leads);

        // 14:00: first touch (10:00) and decision (13:00) have breached for every lead.
        await StartSchedulersAsync(a, b);
        clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(5));
        manual = await HammerAsync(a, b);
        await UntilNoneAsync(a.Database, "SELECT COUNT(*) FROM sla_clocks WHERE stopped_at IS NULL AND breached_at IS NULL AND due_at <= @now", clock);
        await StopSchedulersAsync(a, b);

        Assert.Equal(2 * Leads, await CountAsync(a.Database, "SELECT COUNT(*) FROM sla_breaches"));
        Assert.Equal(2 * Leads, await CountAsync(a.Database, "SELECT COUNT(*) FROM notifications WHERE event = 'sla.breached'"));
        Assert.Equal(2 * Leads, await CountAsync(a.Database, "SELECT COUNT(*) FROM notifications WHERE event = 'sla.escalated'"));
        Assert.Equal(2 * Leads, await CountAsync(a.Database, "SELECT COUNT(*) FROM activities WHERE type = 'sla_breached'"));
        Assert.Equal(2 * Leads, await CountAsync(a.Database, "SELECT COUNT(DISTINCT clock_id) FROM sla_breaches"));
        Assert.Equal(2 * Leads, await CountAsync(a.Database, "SELECT COUNT(*) FROM notifications WHERE event = 'sla.reminder'")); // none sent for breached clocks
        Assert.True(manual.Breaches <= 2 * Leads);
    }

    /// <summary>Eight concurrent hand ticks, four per server, on top of both schedulers.</summary>
    private static async Task<(int Reminders, int Breaches)> HammerAsync(TandemServer a, TandemServer b)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).TickAsync())));
        return (results.Sum(r => r.RemindersSent), results.Sum(r => r.Breaches));
    }

    /// <summary>Waits until nothing the query counts is left, i.e. every due reminder or breach has been claimed and committed.</summary>
    private static Task UntilNoneAsync(Database db, string dueSql, ManualClock clock) =>
        Poll.UntilAsync(() => db.ReadAsync(c => c.ExecuteScalarAsync<long>(dueSql, new { now = clock.GetUtcNow().ToUnixTimeMilliseconds() }),
            TestContext.Current.CancellationToken), left => left == 0, $"nothing is left for: {dueSql}");

    /// <summary>
    /// Stops both servers' schedulers and waits for them: a tick in flight commits or rolls back first, so a double fire
    /// shows in the counts that follow and none can land after them.
    /// </summary>
    private static Task StopSchedulersAsync(params TandemServer[] servers) =>
        Task.WhenAll(servers.Select(s => SchedulerOf(s).StopAsync(CancellationToken.None)));

    private static Task StartSchedulersAsync(params TandemServer[] servers) =>
        Task.WhenAll(servers.Select(s => SchedulerOf(s).StartAsync(TestContext.Current.CancellationToken)));

    private static IHostedService SchedulerOf(TandemServer server) => server.Services.GetServices<IHostedService>().OfType<SlaScheduler>().Single();

    private static Task<long> CountAsync(Database db, string sql) => db.ReadAsync(c => c.ExecuteScalarAsync<long>(sql), TestContext.Current.CancellationToken);
}

using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tandem.Server.Stall;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Nurture;
using Tandem.Tests.Routing;
using Tandem.Tests.Sla;
using static Tandem.Tests.Stall.StallWorkspace;

namespace Tandem.Tests.Stall;

/// <summary>
/// Two Tandem servers on one PostgreSQL database, both running their stall schedulers every 50 ms and swept by hand at
/// the same time on top: every stall is recorded once and its actions — reminders, tasks, reassignments, recycling —
/// happen once.
/// </summary>
[Collection(HeavyNurtureTests.Name)]
public sealed class StallExactlyOnceTests
{
    private const int Leads = 30;

    [Fact]
    public async Task Two_servers_sharing_one_postgres_database_never_act_twice_on_the_same_stall()
    {
        TestDatabases.RequirePostgres();
        var clock = new ManualClock(SlaWorkspace.MondayNine);
        var racing = new Dictionary<string, string?>(ManualTicks) { ["Tandem:Stall:SchedulerEnabled"] = "true", ["Tandem:Stall:SweepSeconds"] = "0.05",
            ["Tandem:Stall:Batch"] = "7" };
        await using var a = await TandemServer.StartAsync(DatabaseProvider.Postgres, clock, racing);
        await using var b = await TandemServer.StartAsync(DatabaseProvider.Postgres, clock, racing, a.ConnectionString);
        await StopSchedulersAsync(a, b);
        var api = await a.AdminClientAsync();
        var team = await SlaWorkspace.SeedTeamAsync(a.Database);
        for (var i = 0; i < Leads; i++) await api.AssignedMqlAsync($"lead{i}@acme.io", team.Ana, team.TeamId);
        await api.PublishRulesAsync(new
        {
            rules = new object[]
            {
                new
                {
                    key = "untouched", name = "Never touched", kind = "mqlUntouched", hours = 4,
                    actions = new[] { "remindOwner", "notifyManager", "reassign", "createTask", "recycle" },
                },
            },
        });
        clock.Advance(TimeSpan.FromHours(5));

        await StartSchedulersAsync(a, b);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).SweepAsync(), TestContext.Current.CancellationToken)));
        await Poll.UntilAsync(() => a.Database.CountAsync("SELECT COUNT(*) FROM stall_records WHERE state = 'acted'"), n => n == Leads, "every stall acted on");
        await StopSchedulersAsync(a, b);

        Assert.Equal(Leads, await a.Database.CountAsync("SELECT COUNT(*) FROM stall_records"));
        Assert.Equal(Leads, await a.Database.CountAsync("SELECT COUNT(*) FROM notifications WHERE event = 'lead.stalled' AND user_id = @Ana", new { team.Ana }));
        Assert.Equal(Leads, await a.Database.CountAsync("SELECT COUNT(*) FROM notifications WHERE event = 'lead.stalled' AND user_id = @Manager", new { team.Manager }));
        Assert.Equal(Leads, await a.Database.CountAsync("SELECT COUNT(*) FROM tasks WHERE created_from LIKE 'stall:%'"));
        Assert.Equal(Leads, await a.Database.CountAsync("SELECT COUNT(*) FROM routing_decisions WHERE trigger_kind = 'reassign'"));
        Assert.Equal(Leads, await a.Database.CountAsync("SELECT COUNT(*) FROM stage_changes WHERE reason_code = 'stalled'"));
        Assert.Equal(Leads, await a.Database.CountAsync("SELECT COUNT(*) FROM people WHERE stage = 'Recycled'"));
        Assert.Equal(Leads, await a.Database.CountAsync("SELECT COUNT(*) FROM activities WHERE type = 'stall_detected'"));
    }

    private static Task StopSchedulersAsync(params TandemServer[] servers) =>
        Task.WhenAll(servers.Select(s => SchedulerOf(s).StopAsync(CancellationToken.None)));

    private static Task StartSchedulersAsync(params TandemServer[] servers) =>
        Task.WhenAll(servers.Select(s => SchedulerOf(s).StartAsync(TestContext.Current.CancellationToken)));

    private static IHostedService SchedulerOf(TandemServer server) => server.Services.GetServices<IHostedService>().OfType<StallScheduler>().Single();
}

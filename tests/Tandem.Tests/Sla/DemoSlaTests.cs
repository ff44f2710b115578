using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Sla.SlaWorkspace;

namespace Tandem.Tests.Sla;

public abstract class DemoSlaTests(DatabaseProvider provider)
{
    [Fact]
    public async Task The_demo_opens_with_policies_consistent_clock_history_and_filled_scorecards()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero));
        await using var server = await DemoWorkspaces.StartAsync(provider, clock.GetUtcNow(), 120, ManualTicks);
        using var api = await server.AdminClientAsync();

        Assert.Equal(3, (await api.GetJsonAsync("/api/v1/sla/policies")).GetArrayLength());
        var total = (await api.GetJsonAsync("/api/v1/sla/scorecards/sales?from=2026-08-01T00:00:00Z")).GetProperty("total");
        Assert.True(total.GetProperty("leads").GetInt32() > 20, total.ToString());
        Assert.InRange(total.GetProperty("withinSlaShare").GetDouble(), 0.3, 0.99);
        Assert.True(total.GetProperty("breaches").GetInt32() > 0);
        Assert.True((await api.GetJsonAsync("/api/v1/sla/scorecards/marketing?month=2026-10")).GetProperty("overall").GetProperty("mqls").GetInt32() > 5);

        // History is settled: nothing already due is left for the scheduler, so starting the demo fires no burst of stale breaches.
        Assert.Equal(new Tandem.Server.Sla.SlaTickResult(0, 0), await server.TickAsync());
        var unowned = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM people WHERE stage = 'MQL' AND owner_id IS NULL"), ct);
        Assert.Equal(0, unowned);
    }
}

public sealed class DemoSlaTestsOnSqlite() : DemoSlaTests(DatabaseProvider.Sqlite);

public sealed class DemoSlaTestsOnPostgres() : DemoSlaTests(DatabaseProvider.Postgres);

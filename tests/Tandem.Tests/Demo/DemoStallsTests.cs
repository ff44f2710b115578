using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Demo;

/// <summary>The demo workspace has stalled, recycled and revived leads, found by the real sweep over its history.</summary>
public abstract class DemoStallsTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_demo_has_stalled_recycled_and_revived_leads_with_their_stories()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await DemoWorkspaces.StartAsync(provider, Now, 400, new Dictionary<string, string?>
        {
            ["Tandem:Nurture:SchedulerEnabled"] = "false", ["Tandem:Sla:SchedulerEnabled"] = "false",
            ["Tandem:Stall:SchedulerEnabled"] = "false",
        });
        var byState = (await server.Database.ReadAsync(c => c.QueryAsync<(string State, long N)>(
            "SELECT state, COUNT(*) FROM stall_records GROUP BY state"), ct)).ToDictionary(r => r.State, r => r.N);
        Assert.True(byState.GetValueOrDefault("acted") > 0, "no stall was acted on");
        Assert.True(byState.GetValueOrDefault("revived") > 0, "no stalled lead came back");
        var rules = (await server.Database.ReadAsync(c => c.QueryAsync<string>("SELECT DISTINCT rule_key FROM stall_records"), ct)).ToHashSet();
        Assert.Contains("due-for-revival", rules);
        Assert.True(rules.Count >= 2, $"only {string.Join(", ", rules)}");
        Assert.Equal(0, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM stall_records WHERE story = ''"), ct));
    }
}

public sealed class DemoStallsTestsOnSqlite() : DemoStallsTests(DatabaseProvider.Sqlite);

public sealed class DemoStallsTestsOnPostgres() : DemoStallsTests(DatabaseProvider.Postgres);

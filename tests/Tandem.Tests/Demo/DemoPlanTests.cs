using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Demo;

/// <summary>The demo ships the current quarter's plan, worked back from its own history, with pacing and a scenario.</summary>
public abstract class DemoPlanTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_demo_has_a_current_quarter_plan_worked_back_to_visits_per_channel_with_pacing()
    {
        await using var server = await DemoWorkspaces.StartAsync(provider, Now, 400, new Dictionary<string, string?>
        {
            ["Tandem:Nurture:SchedulerEnabled"] = "false", ["Tandem:Sla:SchedulerEnabled"] = "false",
            ["Tandem:Stall:SchedulerEnabled"] = "false", ["Tandem:Planning:PacingCheckEnabled"] = "false",
        });
        using var api = await server.AdminClientAsync();
        var plan = await api.GetJsonAsync("/api/v1/plans/current");
        Assert.Equal("Q4 2026", plan.GetProperty("label").GetString());
        Assert.Equal(3, plan.GetProperty("channels").GetArrayLength());
        foreach (var ch in plan.GetProperty("channels").EnumerateArray())
        {
            Assert.True(ch.GetProperty("needed").GetProperty("MQL").GetInt64() > 0, ch.GetProperty("channel").GetString());
            Assert.Equal(JsonValueKind.Null, ch.GetProperty("cannotWorkBack").ValueKind);
        }
        Assert.True(plan.GetProperty("total").GetProperty("Visit").GetInt64() >= plan.GetProperty("total").GetProperty("Lead").GetInt64());
        var mqls = plan.GetProperty("pacing").GetProperty("groups")[0].GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("step").GetString() == "MQL");
        Assert.True(mqls.GetProperty("actual").GetInt64() > 0, "no MQLs this quarter in the demo");
        Assert.Equal(2, plan.GetProperty("scenarios").GetArrayLength());
    }
}

public sealed class DemoPlanTestsOnSqlite() : DemoPlanTests(DatabaseProvider.Sqlite);

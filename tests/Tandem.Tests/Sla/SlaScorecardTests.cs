using System.Net.Http.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Sla.SlaWorkspace;

namespace Tandem.Tests.Sla;

public abstract class SlaScorecardTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Scorecards_report_speed_to_lead_compliance_and_marketing_acceptance_on_a_known_data_set()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock(MondayNine);
        await using var server = await TandemServer.StartAsync(provider, clock, ManualTicks, services: WithoutReassignment);
        var api = await server.AdminClientAsync();
        var team = await SeedTeamAsync(server.Database);
        await api.CreateMqlPolicyAsync(await api.CreateOfficeCalendarAsync());
        var ana = new List<long>();
        for (var i = 0; i < 4; i++) ana.Add(await api.AssignedMqlAsync($"ana{i}@acme.io", team.Ana, team.TeamId));
        var ben = new List<long> { await api.AssignedMqlAsync("ben0@acme.io", team.Ben, team.TeamId), await api.AssignedMqlAsync("ben1@acme.io", team.Ben, team.TeamId) };

        // First touches at +10, +20 (Ana), +30, +40 (Ben) minutes; Ana's third lead at +90 (late), her fourth never.
        foreach (var (lead, minute) in new[] { (ana[0], 10), (ana[1], 20), (ben[0], 30), (ben[1], 40) })
        {
            clock.Set(MondayNine.AddMinutes(minute));
            await api.LogAsync(lead, "call");
        }
        clock.Set(MondayNine.AddMinutes(61));
        Assert.Equal(2, (await server.TickAsync()).Breaches);
        clock.Set(MondayNine.AddMinutes(90));
        await api.LogAsync(ana[2], "email");

        var byRep = await api.GetJsonAsync("/api/v1/sla/scorecards/sales?groupBy=rep");
        var groups = byRep.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("name").GetString()!);
        var a = groups["Ana"];
        Assert.Equal(4, a.GetProperty("leads").GetInt32());
        Assert.Equal(3, a.GetProperty("touched").GetInt32());
        Assert.Equal(0.25, a.GetProperty("neverTouchedShare").GetDouble());
        Assert.Equal(20, a.GetProperty("medianMinutesToFirstTouch").GetDouble());
        Assert.Equal(76, a.GetProperty("p90MinutesToFirstTouch").GetDouble());
        Assert.Equal(0.5, a.GetProperty("withinSlaShare").GetDouble());
        Assert.Equal(3, a.GetProperty("attempts").GetInt32());
        Assert.Equal(2, a.GetProperty("breaches").GetInt32());
        var b = groups["Ben"];
        Assert.Equal(35, b.GetProperty("medianMinutesToFirstTouch").GetDouble());
        Assert.Equal(39, b.GetProperty("p90MinutesToFirstTouch").GetDouble());
        Assert.Equal(1.0, b.GetProperty("withinSlaShare").GetDouble());
        Assert.Equal(0, b.GetProperty("breaches").GetInt32());
        var total = byRep.GetProperty("total");
        Assert.Equal(6, total.GetProperty("leads").GetInt32());
        Assert.Equal(30, total.GetProperty("medianMinutesToFirstTouch").GetDouble());
        Assert.Equal(70, total.GetProperty("p90MinutesToFirstTouch").GetDouble());
        Assert.Equal(0.6667, total.GetProperty("withinSlaShare").GetDouble());
        var byTeam = await api.GetJsonAsync("/api/v1/sla/scorecards/sales?groupBy=team");
        Assert.Equal("Inbound SDR", Assert.Single(byTeam.GetProperty("groups").EnumerateArray()).GetProperty("name").GetString());

        // Sales decides: three accepted (one straight to SQL), two rejected with reasons, one still pending.
        (await api.MoveStageAsync(ana[0], "SAL")).EnsureSuccessStatusCode();
        (await api.MoveStageAsync(ana[1], "SAL")).EnsureSuccessStatusCode();
        (await api.MoveStageAsync(ben[0], "SQL")).EnsureSuccessStatusCode();
        (await api.MoveStageAsync(ana[2], "Disqualified", "bad-fit")).EnsureSuccessStatusCode();
        (await api.MoveStageAsync(ana[3], "Recycled", "no-response")).EnsureSuccessStatusCode();
        await (await api.PostAsJsonAsync("/api/v1/sla/commitments", new { name = "Inbound MQLs", minimumMqlsPerMonth = 5, minimumAcceptancePercent = 70 }, ct)).EnsureSuccessWithBodyAsync();
        await (await api.PostAsJsonAsync("/api/v1/sla/commitments", new { name = "Webinar MQLs", minimumMqlsPerMonth = 1, minimumAcceptancePercent = 50, sources = new[] { "webinar" } }, ct)).EnsureSuccessWithBodyAsync();

        var marketing = await api.GetJsonAsync("/api/v1/sla/scorecards/marketing?month=2026-11");
        var overall = marketing.GetProperty("overall");
        Assert.Equal(6, overall.GetProperty("mqls").GetInt32());
        Assert.Equal(3, overall.GetProperty("accepted").GetInt32());
        Assert.Equal(2, overall.GetProperty("rejected").GetInt32());
        Assert.Equal(0.6, overall.GetProperty("acceptanceRate").GetDouble());
        Assert.Equal(["bad-fit", "no-response"], overall.GetProperty("rejectionReasons").EnumerateArray().Select(r => r.GetProperty("reasonCode").GetString()).Order());
        var commitments = marketing.GetProperty("commitments").EnumerateArray().ToList();
        Assert.True(commitments[0].GetProperty("volumeMet").GetBoolean());
        Assert.False(commitments[0].GetProperty("acceptanceMet").GetBoolean());
        Assert.Equal(0, commitments[1].GetProperty("actual").GetProperty("mqls").GetInt32());
        Assert.False(commitments[1].GetProperty("volumeMet").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, commitments[1].GetProperty("acceptanceMet").ValueKind);
        Assert.Equal(0, (await api.GetJsonAsync("/api/v1/sla/scorecards/marketing?month=2026-10")).GetProperty("overall").GetProperty("mqls").GetInt32());
    }
}

public sealed class SlaScorecardTestsOnSqlite() : SlaScorecardTests(DatabaseProvider.Sqlite);

public sealed class SlaScorecardTestsOnPostgres() : SlaScorecardTests(DatabaseProvider.Postgres);

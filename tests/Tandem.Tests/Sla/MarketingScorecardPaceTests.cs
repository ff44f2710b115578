using System.Net.Http.Json;
using Tandem.Domain.Sla;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Sla.SlaWorkspace;

namespace Tandem.Tests.Sla;

/// <summary>A month's MQL commitment is judged on the days gone; the reasons are every one sales gave for turning a lead back.</summary>
public sealed class MarketingPaceTests
{
    private static readonly DateTimeOffset December = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Sixty_four_of_five_hundred_on_December_2_is_on_pace_not_short()
    {
        var pace = MarketingScorecard.Pace(500, 64, December, December.AddMonths(1), December.AddDays(1.5));

        Assert.Equal(24, pace.ExpectedToDate); // 500 × 1.5 of 31 days
        Assert.True(pace.OnPace);
        Assert.False(pace.MonthOver);
    }

    [Fact]
    public void Less_than_the_share_of_the_days_gone_is_behind_and_a_month_over_is_judged_on_the_whole()
    {
        Assert.False(MarketingScorecard.Pace(500, 200, December, December.AddMonths(1), December.AddDays(15.5)).OnPace);
        var over = MarketingScorecard.Pace(500, 480, December, December.AddMonths(1), December.AddMonths(2));
        Assert.Equal((500, false, true), (over.ExpectedToDate, over.OnPace, over.MonthOver));
    }
}

public abstract class MarketingScorecardReasonsTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Top_reasons_include_leads_sales_recycled_after_accepting_and_the_month_in_progress_is_judged_pro_rata()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock(MondayNine);
        await using var server = await TandemServer.StartAsync(provider, clock, ManualTicks, services: WithoutReassignment);
        var api = await server.AdminClientAsync();
        var team = await SeedTeamAsync(server.Database);
        var leads = new List<long>();
        for (var i = 0; i < 3; i++) leads.Add(await api.AssignedMqlAsync($"lead{i}@acme.io", team.Ana, team.TeamId));

        // One rejected as an MQL; two accepted, then recycled because nobody answered.
        (await api.MoveStageAsync(leads[0], "Disqualified", "bad-fit")).EnsureSuccessStatusCode();
        foreach (var lead in leads.Skip(1))
        {
            (await api.MoveStageAsync(lead, "SAL")).EnsureSuccessStatusCode();
            (await api.MoveStageAsync(lead, "Recycled", "no-response")).EnsureSuccessStatusCode();
        }
        await (await api.PostAsJsonAsync("/api/v1/sla/commitments", new { name = "Inbound", minimumMqlsPerMonth = 30, minimumAcceptancePercent = 10 }, ct)).EnsureSuccessWithBodyAsync();
        await (await api.PostAsJsonAsync("/api/v1/sla/commitments", new { name = "Stretch", minimumMqlsPerMonth = 500, minimumAcceptancePercent = 10 }, ct)).EnsureSuccessWithBodyAsync();

        var marketing = await api.GetJsonAsync("/api/v1/sla/scorecards/marketing?month=2026-11");
        var reasons = marketing.GetProperty("overall").GetProperty("rejectionReasons").EnumerateArray()
            .Select(r => (r.GetProperty("reasonCode").GetString(), r.GetProperty("stage").GetString(), r.GetProperty("count").GetInt32())).ToList();
        Assert.Equal([("no-response", "Recycled", 2), ("bad-fit", "Disqualified", 1)], reasons);
        Assert.Equal(1, marketing.GetProperty("overall").GetProperty("rejected").GetInt32());

        // Nov 2, 09:00: 33 hours of 30 days are gone. 30 a month expects 1 by now; 500 expects 23.
        var commitments = marketing.GetProperty("commitments").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal((1, "on_pace"), (commitments["Inbound"].GetProperty("expectedToDate").GetInt32(), commitments["Inbound"].GetProperty("pace").GetString()));
        Assert.Equal((23, "behind"), (commitments["Stretch"].GetProperty("expectedToDate").GetInt32(), commitments["Stretch"].GetProperty("pace").GetString()));
        Assert.False(commitments["Inbound"].GetProperty("volumeMet").GetBoolean());

        clock.Set(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var past = (await api.GetJsonAsync("/api/v1/sla/scorecards/marketing?month=2026-11")).GetProperty("commitments").EnumerateArray().First();
        Assert.Equal((30, "short"), (past.GetProperty("expectedToDate").GetInt32(), past.GetProperty("pace").GetString()));
    }
}

public sealed class MarketingScorecardReasonsTestsOnSqlite() : MarketingScorecardReasonsTests(DatabaseProvider.Sqlite);

public sealed class MarketingScorecardReasonsTestsOnPostgres() : MarketingScorecardReasonsTests(DatabaseProvider.Postgres);

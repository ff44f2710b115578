using Tandem.Domain.Planning;

namespace Tandem.Tests.Domain.Planning;

/// <summary>
/// The reverse funnel worked by hand: Q4 2026 (92 days), a 1,000,000 target of which marketing brings 60 % at 20,000 a
/// deal = 30 deals; ÷ 25 % = 120 opportunities, ÷ 50 % = 240 SQLs, ÷ 60 % = 400 SALs, ÷ 80 % = 500 MQLs, ÷ 10 % = 5,000
/// leads, ÷ 2 % = 250,000 visits.
/// </summary>
public sealed class PlannerMathTests
{
    private static readonly PlanPeriod Q4 = new(PeriodKind.Quarter, new DateOnly(2026, 10, 1));
    private static readonly FunnelRates Rates = new(0.02, 0.10, 0.80, 0.60, 0.50, 0.25);

    private static PlanInputs Plan(FunnelRates? rates = null, params ChannelMix[] channels) =>
        new(Q4, 1_000_000m, 0.6, 20_000m, rates ?? Rates, channels);

    [Fact]
    public void A_revenue_target_is_worked_back_row_by_row_to_the_visits_it_takes()
    {
        var worked = WorkBack.Of(Plan());
        Assert.Equal(600_000m, worked.MarketingRevenue);
        var expected = new Dictionary<PlanStep, double> { [PlanStep.Deal] = 30, [PlanStep.Opportunity] = 120, [PlanStep.SQL] = 240, [PlanStep.SAL] = 400,
            [PlanStep.MQL] = 500, [PlanStep.Lead] = 5000, [PlanStep.Visit] = 250_000 };
        foreach (var (step, n) in expected) Assert.Equal(n, worked.Total[step]!.Value, 6);
        Assert.Equal(PlanInputs.AllChannels, Assert.Single(worked.Channels).Channel);
    }

    [Fact]
    public void Each_channel_takes_its_share_of_the_deals_and_is_worked_back_at_its_own_rates_and_months_split_by_days()
    {
        var paid = new ChannelMix("Paid Search", 0.4, FunnelRates.Unknown with { MqlToSal = 0.5 });
        var organic = new ChannelMix("Organic Search", 0.6, FunnelRates.Unknown);
        var worked = WorkBack.Of(Plan(null, paid, organic));

        var p = worked.Channels.Single(c => c.Channel == "Paid Search");
        Assert.Equal([12, 48, 96, 160, 320, 3200, 160_000], new[] { PlanStep.Deal, PlanStep.Opportunity, PlanStep.SQL, PlanStep.SAL, PlanStep.MQL, PlanStep.Lead, PlanStep.Visit }
            .Select(s => Math.Round(p.Needed[s]!.Value, 6)));
        var o = worked.Channels.Single(c => c.Channel == "Organic Search");
        Assert.Equal(300, o.Needed[PlanStep.MQL]!.Value, 6);
        Assert.Equal(150_000, o.Needed[PlanStep.Visit]!.Value, 6);
        Assert.Equal(620, worked.Total[PlanStep.MQL]!.Value, 6);
        Assert.Equal(310_000, worked.Total[PlanStep.Visit]!.Value, 6);

        // October has 31 of the quarter's 92 days: 620 × 31 / 92 = 208.9 MQLs, which take 209.
        Assert.Equal([new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1)], worked.Months.Select(m => m.Month));
        Assert.Equal(620.0 * 31 / 92, worked.Months[0].Needed[PlanStep.MQL]!.Value, 6);
        Assert.Equal(209, WorkBack.Whole(worked.Months[0].Needed[PlanStep.MQL]!.Value));
        Assert.Equal(620, worked.Months.Sum(m => m.Needed[PlanStep.MQL]!.Value), 6);
    }

    [Fact]
    public void A_zero_rate_stops_the_work_back_at_that_row_with_the_reason_instead_of_dividing_by_zero()
    {
        var worked = WorkBack.Of(Plan(Rates with { SqlToOpportunity = 0 }));
        var ch = Assert.Single(worked.Channels);
        Assert.Equal(30, ch.Needed[PlanStep.Deal]!.Value, 6);
        Assert.Equal(120, ch.Needed[PlanStep.Opportunity]!.Value, 6);
        Assert.All(new[] { PlanStep.SQL, PlanStep.SAL, PlanStep.MQL, PlanStep.Lead, PlanStep.Visit }, s => Assert.Null(ch.Needed[s]));
        Assert.Equal("Cannot be worked back above opportunities: the SQL→opportunity rate is 0 %.", ch.CannotWorkBack);
        Assert.Null(worked.Total[PlanStep.MQL]);
        Assert.All(worked.Months, m => Assert.Null(m.Needed[PlanStep.Visit]));
    }

    [Fact]
    public void Missing_history_for_a_rate_leaves_only_the_rows_above_it_unknown()
    {
        var worked = WorkBack.Of(Plan(Rates with { VisitToLead = null }));
        var ch = Assert.Single(worked.Channels);
        Assert.Equal(5000, ch.Needed[PlanStep.Lead]!.Value, 6);
        Assert.Null(ch.Needed[PlanStep.Visit]);
        Assert.Equal("Cannot be worked back above leads: the visit→lead rate is not known (no history and none entered).", ch.CannotWorkBack);

        // One channel without history makes the total unknown for the rows it cannot reach, not zero.
        var mixed = WorkBack.Of(Plan(Rates with { VisitToLead = null }, new ChannelMix("Events", 0.5, FunnelRates.Unknown with { VisitToLead = 0.05 }),
            new ChannelMix("Partners", 0.5, FunnelRates.Unknown)));
        Assert.Equal(50_000, mixed.Channels[0].Needed[PlanStep.Visit]!.Value, 6);
        Assert.Null(mixed.Channels[1].Needed[PlanStep.Visit]);
        Assert.Null(mixed.Total[PlanStep.Visit]);
        Assert.Equal(5000, mixed.Total[PlanStep.Lead]!.Value, 6);
    }

    [Fact]
    public void Inputs_that_cannot_be_planned_with_are_named()
    {
        var bad = new PlanInputs(new PlanPeriod(PeriodKind.Quarter, new DateOnly(2026, 11, 1)), 0m, 1.5, -1m, Rates with { MqlToSal = 1.2 },
            [new ChannelMix("Paid", 0.5, FunnelRates.Unknown), new ChannelMix("paid", 0.2, FunnelRates.Unknown)]);
        var fields = bad.Problems().Select(p => p.Field).ToList();
        Assert.Equal(["start", "revenueTarget", "marketingShare", "averageDealSize", "rates.mqlToSal", "channels[1].channel", "channels"], fields);
        Assert.Empty(Plan().Problems());
    }

    [Fact]
    public void The_capacity_check_turns_MQLs_into_rep_hours_a_week_against_the_team()
    {
        // November: 300 MQLs in 30 days = 70 a week; × 6 attempts × 5 minutes = 2,100 minutes = 35 rep-hours a week.
        var check = Capacity.Check(300, 30, 6, 5, "Inbound SDR", 30);
        Assert.Equal(70, check.MqlsPerWeek!.Value, 6);
        Assert.Equal(35, check.NeededHoursPerWeek!.Value, 6);
        Assert.False(check.Enough);
        Assert.Equal("These 300 MQLs (70 a week) at the SLA's 6 attempts each, 5 minutes an attempt, need 35 rep-hours a week; " +
                     "Inbound SDR has 30 — 5 rep-hours a week short.", check.Words);
        Assert.True(Capacity.Check(300, 30, 6, 5, "Inbound SDR", 40).Enough);
        var unknown = Capacity.Check(null, 30, 6, 5, "Inbound SDR", 40);
        Assert.Null(unknown.Enough);
        Assert.Contains("cannot be checked", unknown.Words);
    }

    [Fact]
    public void Half_way_through_the_period_pacing_compares_actual_to_half_the_plan_projects_the_run_rate_and_says_what_must_change()
    {
        var november = new PlanPeriod(PeriodKind.Month, new DateOnly(2026, 11, 1));
        var halfGone = new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(0.5, Pacing.Elapsed(november, halfGone), 9);

        var planned = new Dictionary<PlanStep, double?> { [PlanStep.Visit] = 10_000, [PlanStep.Lead] = 600, [PlanStep.MQL] = 300, [PlanStep.SAL] = 150,
            [PlanStep.SQL] = null };
        var actual = new Dictionary<PlanStep, long> { [PlanStep.Visit] = 6_000, [PlanStep.Lead] = 300, [PlanStep.MQL] = 120, [PlanStep.SAL] = 45 };
        var rows = Pacing.Rows(november, halfGone, planned, actual).ToDictionary(r => r.Step);

        var mql = rows[PlanStep.MQL];
        Assert.Equal(150, mql.ExpectedToDate!.Value, 6);
        Assert.Equal(0.2, mql.BehindBy!.Value, 6);
        Assert.Equal(240, mql.Projection!.Value, 6);
        Assert.True(mql.IsBehind(0.1));

        // SAL: 45 of 75 expected (40 % behind); today's MQL→SAL rate is 45 / 120 = 37.5 %, so the 105 SALs still to come take 280 more MQLs.
        var sal = rows[PlanStep.SAL];
        Assert.Equal(0.4, sal.BehindBy!.Value, 6);
        Assert.Equal(90, sal.Projection!.Value, 6);
        Assert.Equal("Behind: 45 of 75 expected by now; at this rate 90 by 30 Nov against a plan of 150. At today's MQL→SAL rate (37.5%), 280 more MQLs by 30 Nov.",
            sal.Words);

        Assert.False(rows[PlanStep.Visit].IsBehind(0.1)); // 6,000 against 5,000 expected: ahead
        Assert.StartsWith("On pace: 6,000 visits", rows[PlanStep.Visit].Words);
        Assert.Equal(0.0, rows[PlanStep.Lead].BehindBy!.Value, 6);
        Assert.False(rows[PlanStep.Lead].IsBehind(0.0));
        Assert.Null(rows[PlanStep.SQL].Planned);
        Assert.Contains("cannot be worked back", rows[PlanStep.SQL].Words);
    }

    [Fact]
    public void Before_the_period_starts_nothing_is_expected_and_nothing_is_projected()
    {
        var november = new PlanPeriod(PeriodKind.Month, new DateOnly(2026, 11, 1));
        var row = Pacing.Rows(november, new DateTimeOffset(2026, 10, 20, 0, 0, 0, TimeSpan.Zero),
            new Dictionary<PlanStep, double?> { [PlanStep.MQL] = 300 }, new Dictionary<PlanStep, long>()).Single(r => r.Step == PlanStep.MQL);
        Assert.Null(row.BehindBy);
        Assert.Null(row.Projection);
        Assert.False(row.IsBehind(0.1));
        Assert.Equal("Not started: 300 MQLs by 30 Nov.", row.Words);
    }

    [Fact]
    public void A_scenario_reworks_the_plan_with_its_changes_and_an_extra_budget_is_carried_forward_to_deals()
    {
        var paid = new ChannelMix("Paid Search", 0.4, FunnelRates.Unknown with { MqlToSal = 0.5 });
        var organic = new ChannelMix("Organic Search", 0.6, FunnelRates.Unknown);
        var plan = Plan(null, paid, organic);

        // +25 % MQL→SAL: Paid 0.5 → 0.625 needs 160 / 0.625 = 256 MQLs; Organic 0.8 → 1.0 needs 240.
        var better = Scenarios.Of(plan, new Scenario("+25% MQL→SAL", new Dictionary<string, double> { ["mqlToSal"] = 1.25 }, null, null));
        Assert.Equal(496, better.Plan.Total[PlanStep.MQL]!.Value, 6);
        Assert.Equal("MQL→SAL +25 %. Needs 496 MQLs.", better.Words);

        // 8,000 more on Paid Search at 100 an MQL: 80 MQLs × 50 % × 60 % × 50 % × 25 % = 3 deals = 60,000.
        var budget = Scenarios.Of(plan, new Scenario("Paid +8k", new Dictionary<string, double>(), null, new ExtraBudget("Paid Search", 8000m, 100m)));
        Assert.Equal(80, budget.BudgetMqls!.Value, 6);
        Assert.Equal(3, budget.BudgetDeals!.Value, 6);
        Assert.Equal(60_000m, Math.Round(budget.BudgetRevenue!.Value, 2));
        Assert.Equal(620, budget.Plan.Total[PlanStep.MQL]!.Value, 6);

        Assert.Equal(["scenarios[0].rateFactors.mqlToSale", "scenarios[0].budget.channel"],
            Scenarios.Problems(new Scenario("x", new Dictionary<string, double> { ["mqlToSale"] = 1.1 }, null, new ExtraBudget("TV", 1m, 1m)), plan, 0)
                .Select(p => p.Field));
    }
}

using Tandem.Domain.Routing;

namespace Tandem.Tests.Domain.Routing;

public sealed class DistributionTests
{
    private static readonly DateTimeOffset Monday10Utc = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);

    private static Rep R(long id, string name) => Rep.Simple(id, name);

    private static Team TeamOf(params Rep[] reps) => new(1, "EMEA SDR", reps, null, null);

    private static DistributionResult Next(Team team, RotationState state, DistributionMethod method = DistributionMethod.RoundRobin,
        DateTimeOffset? at = null, bool hours = false) =>
        Distributor.Distribute(new DistributionRequest(team, method, hours, at ?? Monday10Utc, state));

    [Fact]
    public void Round_robin_stays_fair_over_10000_assignments_while_reps_go_away_and_come_back()
    {
        var reps = Enumerable.Range(1, 5).Select(i => R(i, $"Rep{i}")).ToArray();
        var state = RotationState.Start;
        var total = new Dictionary<long, int>();
        var random = new Random(7);
        long? previous = null;
        for (var phase = 0; phase < 20; phase++)
        {
            // Each phase of 500 leads, one or two reps are away (out of office); the rest must share evenly.
            var away = Enumerable.Range(1, 5).OrderBy(_ => random.Next()).Take(1 + phase % 2).Select(i => (long)i).ToHashSet();
            var members = reps.Select(r => away.Contains(r.UserId)
                ? r with { TimeOff = [new TimeOff(Monday10Utc.AddDays(-1), Monday10Utc.AddDays(1))] } : r).ToArray();
            var phaseCounts = new Dictionary<long, int>();
            for (var i = 0; i < 500; i++)
            {
                var result = Next(TeamOf(members), state);
                var chosen = result.Chosen!.UserId;
                Assert.DoesNotContain(chosen, away);
                Assert.NotEqual(previous, chosen); // never the same rep twice in a row while others are free
                previous = chosen;
                state = result.State;
                phaseCounts[chosen] = phaseCounts.GetValueOrDefault(chosen) + 1;
                total[chosen] = total.GetValueOrDefault(chosen) + 1;
            }
            Assert.Equal(5 - away.Count, phaseCounts.Count);
            Assert.True(phaseCounts.Values.Max() - phaseCounts.Values.Min() <= 1, $"phase {phase}: {string.Join(", ", phaseCounts)}");
        }
        Assert.Equal(10_000, total.Values.Sum());
    }

    [Fact]
    public void Round_robin_continues_the_cycle_when_a_rep_returns_instead_of_restarting()
    {
        var (ana, ben, cleo) = (R(1, "Ana"), R(2, "Ben"), R(3, "Cleo"));
        var state = new RotationState(2, new Dictionary<long, int>()); // Ben had the last lead
        var withoutCleo = Next(TeamOf(ana, ben), state);
        Assert.Equal("Ana", withoutCleo.Chosen!.Name); // Cleo is gone: the turn wraps to Ana
        var cleoBack = Next(TeamOf(ana, ben, cleo), withoutCleo.State);
        Assert.Equal("Ben", cleoBack.Chosen!.Name);
        Assert.Equal("Cleo", Next(TeamOf(ana, ben, cleo), cleoBack.State).Chosen!.Name);
    }

    [Fact]
    public void Round_robin_skips_ineligible_reps_and_says_why()
    {
        var ana = R(1, "Ana") with { TimeOff = [new TimeOff(Monday10Utc.AddHours(-1), Monday10Utc.AddDays(3), "holiday")] };
        var ben = R(2, "Ben") with { Capacity = 5, OpenLeads = 5 };
        var cleo = R(3, "Cleo");
        var dan = R(4, "Dan") with { Active = false };
        var result = Next(TeamOf(ana, ben, cleo, dan), RotationState.Start);
        Assert.Equal("Cleo", result.Chosen!.Name);
        Assert.Equal(["Ana", "Ben"], result.Skipped.Select(s => s.Name));
        Assert.StartsWith("out of office", result.Skipped[0].Reason);
        Assert.Equal("at capacity (5/5 open leads)", result.Skipped[1].Reason);
        var next = Next(TeamOf(ana, ben, cleo, dan), result.State);
        Assert.Equal("Cleo", next.Chosen!.Name);
        Assert.Equal(["Dan", "Ana", "Ben"], next.Skipped.Select(s => s.Name));
        Assert.Equal("inactive", next.Skipped[0].Reason);
    }

    [Fact]
    public void Daily_quota_and_working_hours_in_the_reps_time_zone_make_a_rep_ineligible()
    {
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        WorkingHours.TryParse(new Dictionary<string, string[]> { ["mon"] = ["09:00-17:00"] }, out var hours, out _);
        var kenji = R(1, "Kenji") with { TimeZone = tokyo, Hours = hours };
        // 10:00 UTC on Monday is 19:00 in Tokyo: after hours there.
        Assert.Equal("outside working hours", Eligibility.WhyNot(kenji, Monday10Utc, respectWorkingHours: true));
        Assert.Null(Eligibility.WhyNot(kenji, Monday10Utc, respectWorkingHours: false));
        Assert.Null(Eligibility.WhyNot(kenji, Monday10Utc.AddHours(-9), respectWorkingHours: true)); // 10:00 in Tokyo
        var quota = R(2, "Quinn") with { DailyQuota = 3, AssignedToday = 3 };
        Assert.Equal("daily quota reached (3/3)", Eligibility.WhyNot(quota, Monday10Utc, false));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 15, 0, 0, TimeSpan.Zero), Eligibility.StartOfLocalDay(Monday10Utc, tokyo));
    }

    [Fact]
    public void Weighted_round_robin_gives_leads_in_proportion_to_weight_interleaved()
    {
        var team = TeamOf(R(1, "Ana") with { Weight = 3 }, R(2, "Ben"));
        var state = RotationState.Start;
        var picks = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            var result = Next(team, state, DistributionMethod.WeightedRoundRobin);
            picks.Add(result.Chosen!.Name);
            state = result.State;
        }
        Assert.Equal(300, picks.Count(p => p == "Ana"));
        Assert.DoesNotContain("Ben,Ben", string.Join(",", picks)); // never a burst for the lighter rep
        Assert.DoesNotContain("Ana,Ana,Ana,Ana", string.Join(",", picks));
    }

    [Fact]
    public void Least_loaded_picks_the_rep_with_fewest_open_leads_within_capacity()
    {
        var team = TeamOf(R(1, "Ana") with { OpenLeads = 4 }, R(2, "Ben") with { OpenLeads = 1, Capacity = 1 }, R(3, "Cleo") with { OpenLeads = 2 });
        var result = Next(team, RotationState.Start, DistributionMethod.LeastLoaded);
        Assert.Equal("Cleo", result.Chosen!.Name);
        Assert.Contains("Cleo has 2 open leads", result.Steps[^1]);
    }

    [Fact]
    public void Account_owner_gets_the_lead_when_available_otherwise_round_robin()
    {
        var owner = R(9, "Olga");
        var team = TeamOf(R(1, "Ana"), R(2, "Ben"));
        var request = new DistributionRequest(team, DistributionMethod.AccountOwner, false, Monday10Utc, RotationState.Start, owner, "Acme");
        var first = Distributor.Distribute(request);
        Assert.Equal("Olga", first.Chosen!.Name);
        Assert.False(first.Advanced); // the rotation is not charged for an account-owner match

        var away = Distributor.Distribute(request with { AccountOwner = owner with { Active = false } });
        Assert.Equal("Ana", away.Chosen!.Name);
        Assert.Contains("account owner Olga skipped (inactive)", away.Steps);
    }

    [Fact]
    public void Explanation_names_rule_team_method_skipped_reps_and_the_choice()
    {
        var rules = new List<RoutingRule>
        {
            new(1, 10, "US enterprise", [new Condition("country", ConditionOperator.In, ["US"])], 1, DistributionMethod.RoundRobin, false),
            new(2, 20, "Grade A", [new Condition("grade", ConditionOperator.Equals, ["A"])], 1, DistributionMethod.RoundRobin, false),
            new(3, 30, "EMEA enterprise", [new Condition("country", ConditionOperator.In, ["DE", "FR"]), new Condition("persona", ConditionOperator.Equals, ["CTO"])],
                1, DistributionMethod.RoundRobin, false),
        };
        var facts = LeadFacts.From([new("country", "de"), new("grade", "B")], [new("persona", ["Champion", "CTO"])]);
        var match = RuleMatcher.FirstMatch(rules, facts);
        Assert.Equal(3, match.Number);
        var team = new Team(1, "EMEA SDR",
            [R(1, "Ana") with { TimeOff = [new TimeOff(Monday10Utc, Monday10Utc.AddDays(1))] }, R(2, "Ben") with { Capacity = 0 }, R(3, "Cleo")], null, null);
        var decision = Router.Decide(match, new DistributionRequest(team, DistributionMethod.RoundRobin, false, Monday10Utc, RotationState.Start));
        Assert.Equal(RoutingOutcome.Assigned, decision.Outcome);
        Assert.Matches(@"^rule 3 'EMEA enterprise' matched; team EMEA SDR; round robin; skipped Ana \(out of office until .*\), Ben \(at capacity \(0/0 open leads\)\); chose Cleo$",
            decision.Explanation);
    }

    [Fact]
    public void Nobody_eligible_falls_back_to_the_team_owner_or_else_the_unassigned_queue()
    {
        var match = new RuleMatch(new RoutingRule(1, 1, "All", [], 1, DistributionMethod.RoundRobin, true), 1, []);
        var sunday = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
        WorkingHours.TryParse(new Dictionary<string, string[]> { ["mon"] = ["09:00-17:00"], ["fri"] = ["09:00-17:00"] }, out var weekdays, out _);
        var reps = new[] { R(1, "Ana") with { Hours = weekdays } };
        var withFallback = Router.Decide(match, new DistributionRequest(new Team(1, "T", reps, 7, "Fran"), DistributionMethod.RoundRobin, true, sunday, RotationState.Start));
        Assert.Equal(RoutingOutcome.Fallback, withFallback.Outcome);
        Assert.Equal(7, withFallback.UserId);
        Assert.Contains("skipped Ana (outside working hours); nobody eligible; gave it to the team's fallback owner Fran", withFallback.Explanation);

        var none = Router.Decide(match, new DistributionRequest(new Team(1, "T", reps, null, null), DistributionMethod.RoundRobin, true, sunday, RotationState.Start));
        Assert.Equal(RoutingOutcome.Unassigned, none.Outcome);
        Assert.EndsWith("queued as unassigned", none.Explanation);
        Assert.Contains("did not match (country in [US])",
            Router.NoRuleMatched(RuleMatcher.FirstMatch([new RoutingRule(1, 1, "US", [new Condition("country", ConditionOperator.In, ["US"])], 1,
                DistributionMethod.RoundRobin, false)], LeadFacts.From([new("country", "DE")]))).Explanation);
    }

    [Fact]
    public void Working_hours_reject_malformed_ranges_naming_the_day()
    {
        Assert.False(WorkingHours.TryParse(new Dictionary<string, string[]> { ["tue"] = ["17:00-09:00"] }, out _, out var error));
        Assert.Contains("tue", error);
        Assert.False(WorkingHours.TryParse(new Dictionary<string, string[]> { ["funday"] = ["09:00-17:00"] }, out _, out error));
        Assert.Contains("funday", error);
    }
}

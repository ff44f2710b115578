using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;

namespace Tandem.Tests.Sla;

public sealed class SlaPolicyTests
{
    private static readonly BusinessCalendar Office = new(TimeZoneInfo.Utc, WeeklyHours.Weekdays(9 * 60, 17 * 60));
    private static readonly DateTimeOffset Saturday = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static SlaPolicy Policy(long id, int priority, SlaSegment segment, Stage stage = Stage.MQL) => new(
        id, $"policy {id}", stage, segment, priority, 1, BusinessDuration.Hours(1), BusinessDuration.Hours(4),
        new AttemptsRule(6, BusinessDuration.Days(10)), [0.5, 0.9], new BreachActions(true, true));

    [Fact]
    public void The_most_specific_matching_policy_by_priority_governs_a_lead()
    {
        var gradeA = Policy(1, 1, new SlaSegment(["A"], [], []));
        var paid = Policy(2, 2, new SlaSegment([], ["Paid Search"], []));
        var everyone = Policy(3, 100, SlaSegment.Everyone);
        var sql = Policy(4, 0, SlaSegment.Everyone, Stage.SQL);
        SlaPolicy[] all = [everyone, paid, gradeA, sql];

        Assert.Equal(gradeA, SlaPolicies.Match(all, new LeadFacts(Stage.MQL, "a", "Paid Search", null)));
        Assert.Equal(paid, SlaPolicies.Match(all, new LeadFacts(Stage.MQL, "B", "paid search", null)));
        Assert.Equal(everyone, SlaPolicies.Match(all, new LeadFacts(Stage.MQL, null, null, 7)));
        Assert.Null(SlaPolicies.Match(all, new LeadFacts(Stage.Lead, "A", null, null)));
    }

    [Fact]
    public void Team_segments_match_only_that_team()
    {
        var emea = Policy(1, 1, new SlaSegment([], [], [5]));
        Assert.True(emea.Segment.Matches(new LeadFacts(Stage.MQL, null, null, 5)));
        Assert.False(emea.Segment.Matches(new LeadFacts(Stage.MQL, null, null, 6)));
        Assert.False(emea.Segment.Matches(new LeadFacts(Stage.MQL, null, null, null)));
    }

    [Fact]
    public void Assignment_plans_one_clock_per_promise_with_reminders_in_business_time()
    {
        var clocks = SlaClockPlanner.Plan(Policy(1, 1, SlaSegment.Everyone), Office, Saturday);

        var touch = clocks.Single(c => c.Kind == SlaClockKind.FirstTouch);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), touch.DueAt);
        Assert.Equal([new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 9, 54, 0, TimeSpan.Zero)],
            touch.Reminders.Select(r => r.At));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 13, 0, 0, TimeSpan.Zero), clocks.Single(c => c.Kind == SlaClockKind.Decision).DueAt);
        var attempts = clocks.Single(c => c.Kind == SlaClockKind.Attempts);
        Assert.Equal(6, attempts.AttemptsRequired);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero), attempts.DueAt); // 10 working days after Monday's opening
    }

    [Fact]
    public void A_touch_after_the_due_time_stops_the_clock_as_a_late_breach()
    {
        var due = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        var clock = new OpenClock(SlaClockKind.FirstTouch, Stage.MQL, Saturday, due, false, null);

        Assert.Equal(new ClockStop("touched", due.AddMinutes(-5), false), SlaClockStops.OnAttempts(clock, due.AddMinutes(-5), due.AddMinutes(-5), 1));
        Assert.True(SlaClockStops.OnAttempts(clock, due.AddMinutes(5), due.AddMinutes(5), 1)!.Breach);
        Assert.False(SlaClockStops.OnAttempts(clock with { Breached = true }, due.AddMinutes(5), due.AddMinutes(5), 1)!.Breach); // already counted once
    }

    [Fact]
    public void Attempts_clock_is_met_only_at_the_minimum_and_breached_by_giving_up_early()
    {
        var clock = new OpenClock(SlaClockKind.Attempts, Stage.MQL, Saturday, Saturday.AddDays(14), false, 6);
        Assert.Null(SlaClockStops.OnAttempts(clock, Saturday.AddHours(50), Saturday.AddHours(60), 5));
        Assert.Equal("attempts_met", SlaClockStops.OnAttempts(clock, Saturday.AddHours(50), Saturday.AddHours(70), 6)!.Reason);

        Assert.Null(SlaClockStops.OnStageChange(clock, Stage.SAL, Saturday.AddDays(1), 2)); // accepted: keep trying to reach them
        Assert.Equal(new ClockStop("closed", Saturday.AddDays(2), true), SlaClockStops.OnStageChange(clock, Stage.Recycled, Saturday.AddDays(2), 3));
        Assert.Equal(new ClockStop("closed", Saturday.AddDays(2), false), SlaClockStops.OnStageChange(clock, Stage.Disqualified, Saturday.AddDays(2), 6));
        Assert.Equal("progressed", SlaClockStops.OnStageChange(clock, Stage.SQL, Saturday.AddDays(2), 1)!.Reason);
        // Given up for a reason the minimum does not cover (the rep reached them): closed, not breached.
        Assert.Equal(new ClockStop("closed", Saturday.AddDays(2), false), SlaClockStops.OnStageChange(clock, Stage.Recycled, Saturday.AddDays(2), 1, attemptsApply: false));
    }

    [Fact]
    public void The_attempts_minimum_applies_to_the_no_response_reasons_unless_the_policy_names_others()
    {
        var byDefault = new AttemptsRule(6, new BusinessDuration(10, BusinessUnit.Days));
        Assert.True(byDefault.AppliesTo("no-response"));
        Assert.True(byDefault.AppliesTo(" No-Response "));
        Assert.False(byDefault.AppliesTo("no-budget"));
        Assert.True(byDefault.AppliesTo(null)); // a move without a reason is judged, as before

        var named = byDefault with { GivingUpReasons = ["no-response", "wrong-contact"] };
        Assert.True(named.AppliesTo("wrong-contact"));
        Assert.False((byDefault with { GivingUpReasons = [] }).AppliesTo("no-response"));
    }

    [Fact]
    public void Accepting_or_rejecting_stops_the_decision_clock()
    {
        var clock = new OpenClock(SlaClockKind.Decision, Stage.MQL, Saturday, Saturday.AddDays(2), false, null);
        Assert.Equal(new ClockStop("decided", Saturday.AddDays(1), false), SlaClockStops.OnStageChange(clock, Stage.SAL, Saturday.AddDays(1), 0));
        Assert.True(SlaClockStops.OnStageChange(clock, Stage.Disqualified, Saturday.AddDays(3), 0)!.Breach);
        Assert.Null(SlaClockStops.OnAttempts(clock, Saturday, Saturday, 3));
    }

    [Fact]
    public void Scorecard_medians_and_p90_interpolate_and_unjudged_clocks_are_left_out_of_the_share()
    {
        FirstTouchFact Touch(int minutes, bool breached = false) => new(true, breached, TimeSpan.FromMinutes(minutes), 2);
        var score = SalesScorecard.Score([Touch(10), Touch(20), Touch(30), Touch(100, breached: true), new(false, true, null, 0), new(false, false, null, 0)], 2);

        Assert.Equal(6, score.Leads);
        Assert.Equal(2, score.NeverTouched);
        Assert.Equal(2 / 6.0, score.NeverTouchedShare);
        Assert.Equal(TimeSpan.FromMinutes(25), score.MedianTimeToFirstTouch);
        Assert.Equal(TimeSpan.FromMinutes(79), score.P90TimeToFirstTouch); // 30 + 0.7 × 70
        Assert.Equal(3 / 5.0, score.WithinSlaShare);
        Assert.Equal(8, score.Attempts);
    }

    [Fact]
    public void Marketing_meets_its_commitment_on_volume_and_acceptance_separately()
    {
        var score = MarketingScorecard.Score(new MarketingCommitment(100, 0.6), mqls: 120, accepted: 50, rejected: 50);
        Assert.True(score.VolumeMet);
        Assert.Equal(0.5, score.AcceptanceRate);
        Assert.False(score.AcceptanceMet);
        Assert.Null(MarketingScorecard.Score(new MarketingCommitment(1, 0.5), 1, 0, 0).AcceptanceMet);
    }
}

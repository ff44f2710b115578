using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;
using Tandem.Domain.Stall;

namespace Tandem.Tests.Domain.Stall;

public class StallDomainTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>New York office hours, 09:00–17:00 Monday to Friday, Thanksgiving (26 November 2026) off.</summary>
    private static readonly BusinessCalendar Office = new(NewYork, WeeklyHours.Weekdays(9 * 60, 17 * 60), [new DateOnly(2026, 11, 26)]);

    /// <summary>Monday 2 November 2026, 09:00 in New York (14:00 UTC, the day after daylight saving ended).</summary>
    private static readonly DateTimeOffset MondayNineNy = new(2026, 11, 2, 14, 0, 0, TimeSpan.Zero);

    private static StallRuleSet Parsed(string json)
    {
        var (set, problems) = StallRuleParser.Parse(json);
        Assert.Empty(problems);
        return set!;
    }

    private static IReadOnlyList<StallRuleParser.Problem> Problems(string json)
    {
        var (set, problems) = StallRuleParser.Parse(json);
        Assert.Null(set);
        return problems;
    }

    private static StallRule Rule(string json) => Parsed($$"""{ "rules": [ {{json}} ] }""").Rules.Single();

    private static StallFacts Facts(Stage stage, DateTimeOffset stageAt, long? owner = 7, DateTimeOffset? assigned = null, DateTimeOffset? touched = null,
        DateTimeOffset? leadActive = null, OwnerTouches? touches = null, LeadSignals? signals = null, string? grade = "A", int? engagement = null,
        int? peak = null, bool lost = false, string? reason = null) =>
        new(1, stage, stageAt, reason, lost, owner, owner is null ? null : "Riley", owner is null ? null : assigned ?? stageAt, 3, grade, "paid-search",
            engagement, peak, stageAt, touched, leadActive, touches ?? OwnerTouches.None, signals ?? LeadSignals.None);

    [Fact]
    public void No_owner_touch_counts_business_hours_in_the_calendars_time_zone()
    {
        var rule = Rule("""{ "key": "untouched", "name": "Nobody called", "kind": "noOwnerTouch", "hours": 8, "calendarId": 1, "actions": ["remindOwner"] }""");
        // Assigned Friday 6 November 15:00 New York: 2 business hours that day, 6 on Monday → stalled Monday 15:00 New York (20:00 UTC).
        var assigned = new DateTimeOffset(2026, 11, 6, 20, 0, 0, TimeSpan.Zero);
        var facts = Facts(Stage.SAL, assigned.AddMinutes(-5), assigned: assigned);
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 20, 0, 0, TimeSpan.Zero), StallEvaluator.StalledFrom(rule, facts, Office));
        Assert.False(StallEvaluator.IsStalled(rule, facts, Office, new DateTimeOffset(2026, 11, 9, 19, 59, 0, TimeSpan.Zero), out _));
        Assert.True(StallEvaluator.IsStalled(rule, facts, Office, new DateTimeOffset(2026, 11, 9, 20, 0, 0, TimeSpan.Zero), out var since));
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 20, 0, 0, TimeSpan.Zero), since);
        // Without a calendar every hour counts: Saturday 04:00 UTC.
        Assert.Equal(assigned.AddHours(8), StallEvaluator.StalledFrom(rule with { CalendarId = null }, facts, null));
        // A touch after the assignment ends it; a touch before it does not.
        Assert.Null(StallEvaluator.StalledFrom(rule, facts with { LastOwnerTouchAt = assigned.AddHours(1) }, Office));
        Assert.NotNull(StallEvaluator.StalledFrom(rule, facts with { LastOwnerTouchAt = assigned.AddHours(-1) }, Office));
        // Nobody owns it: not this rule's business.
        Assert.Null(StallEvaluator.StalledFrom(rule, facts with { OwnerId = null }, Office));
    }

    [Fact]
    public void No_activity_counts_business_days_from_when_sales_last_worked_the_lead_and_skips_holidays()
    {
        var rule = Rule("""{ "key": "rotting", "name": "Rotting", "kind": "noActivity", "days": 3, "calendarId": 1, "actions": [] }""");
        var accepted = MondayNineNy.AddDays(-7);
        // The owner's last call on Tuesday 24 November 10:00 New York; three business days skip Thanksgiving → Monday 30 November 10:00.
        var called = new DateTimeOffset(2026, 11, 24, 15, 0, 0, TimeSpan.Zero);
        var facts = Facts(Stage.SQL, accepted, touched: called, leadActive: called.AddDays(2));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero), StallEvaluator.StalledFrom(rule, facts, Office));
        Assert.Equal(called.AddDays(3), StallEvaluator.StalledFrom(rule with { CalendarId = null }, facts, null));
        // The lead's own opens and visits do not keep a deal from rotting: only sales working it does.
        Assert.Equal(called.AddDays(3), StallEvaluator.StalledFrom(rule with { CalendarId = null }, facts with { LastLeadActivityAt = called.AddDays(5) }, null));
        // The stages it watches, and only those.
        Assert.Null(StallEvaluator.StalledFrom(rule, facts with { Stage = Stage.MQL }, Office));
        Assert.Null(StallEvaluator.StalledFrom(rule, facts with { Stage = Stage.Customer }, Office));
    }

    [Fact]
    public void Recycled_lost_deals_mql_untouched_and_cooling_each_decide_from_their_own_facts()
    {
        var set = Parsed("""
            { "rules": [
              { "key": "recycled", "name": "Due for revival", "kind": "recycledFor", "days": 30, "actions": ["enrollRevival"], "revivalProgramId": 4 },
              { "key": "lost", "name": "Lost deal", "kind": "lostDeal", "days": 90, "actions": ["createTask"], "task": { "title": "Check back", "dueInHours": 48 } },
              { "key": "mql", "name": "MQL never touched", "kind": "mqlUntouched", "hours": 4, "actions": ["notifyManager", "reassign"] },
              { "key": "cooling", "name": "Cooling", "kind": "cooling", "coolingFrom": 60, "coolingBelow": 20, "stages": ["MQL", "SAL"], "actions": ["remindOwner"] }
            ] }
            """);
        var recycledAt = MondayNineNy.AddDays(-40);
        var recycled = Facts(Stage.Recycled, recycledAt, reason: "not-ready");
        Assert.Equal(recycledAt.AddDays(30), StallEvaluator.StalledFrom(set.Find("recycled")!, recycled, null));
        Assert.Null(StallEvaluator.StalledFrom(set.Find("lost")!, recycled, null));
        Assert.Equal(recycledAt.AddDays(90), StallEvaluator.StalledFrom(set.Find("lost")!, recycled with { IsLostDeal = true }, null));

        var mql = Facts(Stage.MQL, MondayNineNy);
        Assert.Equal(MondayNineNy.AddHours(4), StallEvaluator.StalledFrom(set.Find("mql")!, mql, null));
        Assert.Null(StallEvaluator.StalledFrom(set.Find("mql")!, mql with { LastOwnerTouchAt = MondayNineNy.AddHours(1) }, null));
        // Unassigned MQLs count too: nobody touched them.
        Assert.NotNull(StallEvaluator.StalledFrom(set.Find("mql")!, mql with { OwnerId = null, OwnerName = null }, null));

        var cooling = set.Find("cooling")!;
        Assert.NotNull(StallEvaluator.StalledFrom(cooling, mql with { PeakEngagement = 72, Engagement = 15 }, null));
        Assert.Null(StallEvaluator.StalledFrom(cooling, mql with { PeakEngagement = 55, Engagement = 15 }, null));
        Assert.Null(StallEvaluator.StalledFrom(cooling, mql with { PeakEngagement = 72, Engagement = 20 }, null));
        Assert.Null(StallEvaluator.StalledFrom(cooling, mql with { Stage = Stage.SQL, PeakEngagement = 72, Engagement = 15 }, null));
        Assert.True(set.Find("recycled")!.AwaitsRevival);
        Assert.False(set.Find("lost")!.AwaitsRevival);
    }

    [Fact]
    public void A_segment_limits_a_rule_to_grades_sources_and_teams()
    {
        var rule = Rule("""
            { "key": "a-rot", "name": "Grade A rotting", "kind": "noActivity", "days": 5, "segment": { "grades": ["A"], "teamIds": [3] }, "actions": [] }
            """);
        var facts = Facts(Stage.SAL, MondayNineNy.AddDays(-10));
        Assert.NotNull(StallEvaluator.StalledFrom(rule, facts, null));
        Assert.Null(StallEvaluator.StalledFrom(rule, facts with { FitGrade = "B" }, null));
        Assert.Null(StallEvaluator.StalledFrom(rule, facts with { TeamId = 4 }, null));
    }

    [Fact]
    public void The_story_says_who_had_it_what_they_did_and_what_the_lead_did_since()
    {
        var rule = Rule("""{ "key": "rotting", "name": "Rotting", "kind": "noActivity", "days": 14, "actions": [] }""");
        var now = MondayNineNy;
        var facts = Facts(Stage.SAL, now.AddDays(-19), touched: now.AddDays(-17), touches: new OwnerTouches(1, 0, 0),
            signals: new LeadSignals(2, 0, 0, 0));
        Assert.Equal("Accepted by Riley 19 days ago; 1 call attempt; no activity since 17 days ago; the lead opened 2 emails since",
            StallStory.Tell(rule, facts, now, null));

        var untouched = Rule("""{ "key": "untouched", "name": "Nobody called", "kind": "noOwnerTouch", "hours": 8, "calendarId": 1, "actions": [] }""");
        var assigned = new DateTimeOffset(2026, 11, 6, 20, 0, 0, TimeSpan.Zero); // Friday 15:00 New York
        var story = StallStory.Tell(untouched, Facts(Stage.MQL, assigned, assigned: assigned, signals: new LeadSignals(1, 1, 3, 0)),
            new DateTimeOffset(2026, 11, 9, 20, 0, 0, TimeSpan.Zero), Office);
        Assert.Equal("Assigned to Riley 3 days ago (8 business hours); no call, email or meeting; the lead opened 1 email, clicked 1 link and viewed 3 pages since",
            story);
    }

    [Fact]
    public void Problems_name_the_field_and_the_reason()
    {
        var problems = Problems("""
            { "rules": [
              { "key": "Bad Key", "name": "", "kind": "noActivity", "hours": 3, "actions": ["recycle", "shout"] },
              { "key": "r", "name": "Recycled", "kind": "recycledFor", "days": 0, "stages": ["SAL"], "actions": ["recycle", "enrollRevival"] },
              { "key": "c", "name": "Cooling", "kind": "cooling", "coolingFrom": 20, "coolingBelow": 60, "actions": [], "disqualifyWhenProgramEnds": true }
            ], "extra": 1 }
            """);
        var paths = problems.Select(p => p.Path).ToHashSet();
        foreach (var path in new[]
                 {
                     "extra", "rules[0].key", "rules[0].name", "rules[0].hours", "rules[0].days", "rules[0].actions[1]", "rules[1].days",
                     "rules[1].stages[0]", "rules[1].actions[0]", "rules[1].revivalProgramId", "rules[2].coolingBelow", "rules[2].disqualifyWhenProgramEnds",
                 })
            Assert.Contains(path, paths);
        Assert.Contains(problems, p => p.Path == "rules[0].hours" && p.Message.Contains("counts days"));
        const string twice = """
            { "rules": [ { "key": "a", "name": "A", "kind": "mqlUntouched", "hours": 2, "actions": [] },
                         { "key": "a", "name": "B", "kind": "mqlUntouched", "hours": 2, "actions": [] } ] }
            """;
        Assert.Contains(Problems(twice), p => p.Path == "rules[1].key");
    }

    [Fact]
    public void A_rule_set_reads_back_what_it_writes()
    {
        var json = """
            { "revivedSlaPolicyId": 9, "rules": [
              { "key": "rotting", "name": "Rotting", "kind": "noActivity", "days": 14, "calendarId": 2, "segment": { "grades": ["A", "B"], "sources": ["paid-search"] },
                "actions": ["remindOwner", "notifyManager", "reassign", "enrollRevival", "createTask", "recycle"], "revivalProgramId": 5,
                "task": { "title": "Call them back", "dueInHours": 4 }, "disqualifyWhenProgramEnds": true },
              { "key": "cooling", "name": "Cooling", "kind": "cooling", "coolingFrom": 50, "coolingBelow": 10, "actions": [] }
            ] }
            """;
        var set = Parsed(json);
        var again = Parsed(System.Text.Json.JsonSerializer.Serialize(StallRuleParser.Write(set)));
        Assert.Equal(9, again.RevivedSlaPolicyId);
        Assert.Equal(set.Rules.Count, again.Rules.Count);
        var r = again.Find("rotting")!;
        Assert.Equal([StallAction.RemindOwner, StallAction.NotifyManager, StallAction.Reassign, StallAction.EnrollRevival, StallAction.CreateTask, StallAction.Recycle],
            r.Actions);
        Assert.Equal((14, 2L, 5L, "Call them back", 4, true), (r.Amount, r.CalendarId!.Value, r.RevivalProgramId!.Value, r.TaskTitle, r.TaskDueInHours, r.DisqualifyWhenProgramEnds));
        Assert.Equal(["A", "B"], r.Segment.Grades);
        Assert.Equal("14 business days", r.Threshold);
        Assert.Equal((50, 10), (again.Find("cooling")!.CoolingFrom!.Value, again.Find("cooling")!.CoolingBelow!.Value));
    }
}

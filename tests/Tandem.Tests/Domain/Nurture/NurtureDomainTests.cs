using Tandem.Domain.Lifecycle;
using Tandem.Domain.Nurture;

namespace Tandem.Tests.Domain.Nurture;

public class NurtureDomainTests
{
    private const string Welcome = """
        {
          "entry": { "filter": { "stage": "Lead", "grade": ["A", "B"], "maxEngagement": 40 },
                     "events": [ { "type": "formSubmitted", "form": "contact-us" }, { "type": "recycled", "reason": "not-ready" } ] },
          "steps": [
            { "key": "hello", "type": "email", "templateId": 1 },
            { "key": "pause", "type": "wait", "duration": "2d" },
            { "key": "clicked", "type": "branch", "if": { "email": "clicked", "of": "previous" }, "then": "call", "else": "again" },
            { "key": "again", "type": "email", "templateId": 2, "next": "done" },
            { "key": "call", "type": "task", "title": "Call {{firstName}}: clicked pricing" },
            { "key": "done", "type": "exit", "reason": "series over" }
          ],
          "exits": ["becameMql", "replied", "unsubscribed"],
          "sendWindow": { "days": ["monday", "tuesday", "wednesday", "thursday", "friday"], "from": "09:00", "to": "17:00" },
          "holdoutPercent": 10
        }
        """;

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static ProgramDefinition Parsed(string json)
    {
        var (definition, problems) = ProgramParser.Parse(json);
        Assert.Empty(problems);
        return definition!;
    }

    private static IReadOnlyList<ProgramParser.Problem> Problems(string json)
    {
        var (definition, problems) = ProgramParser.Parse(json);
        Assert.Null(definition);
        return problems;
    }

    private static EnrollmentFacts Facts(DateTimeOffset now, TimeZoneInfo? zone = null, params EmailFacts[] emails) =>
        new(now, zone ?? TimeZoneInfo.Utc, new Dictionary<string, string?> { ["title"] = "VP Marketing", ["country"] = "DE" }, 55, 70, emails);

    [Fact]
    public void A_full_definition_parses_into_its_parts()
    {
        var d = Parsed(Welcome);
        Assert.Equal("Lead", d.Entry.Filter["stage"]);
        Assert.Equal("A,B", d.Entry.Filter["grade"]);
        Assert.Equal(2, d.Entry.Events.Count);
        Assert.True(d.Entry.Events[1].Matches(EntryEventType.Recycled, "NOT-READY", null));
        Assert.False(d.Entry.Events[1].Matches(EntryEventType.Recycled, "no-budget", null));
        Assert.Equal(["hello", "pause", "clicked", "again", "call", "done"], d.Steps.Select(s => s.Key));
        Assert.Equal(TimeSpan.FromDays(2), Assert.IsType<WaitFor>(Assert.IsType<WaitStep>(d.Steps[1]).Wait).Duration);
        Assert.Equal("done", d.After(d.Steps[3]));
        Assert.Equal("done", d.After(d.Steps[4]));
        Assert.True(d.ExitsOn(ExitCriterion.Replied));
        Assert.False(d.ExitsOn(ExitCriterion.OwnerTouched));
        Assert.True(d.ExitsOn(ExitCriterion.RemovedByHand));
        Assert.Equal(10, d.HoldoutPercent);
    }

    [Fact]
    public void Problems_name_the_path_of_what_is_wrong()
    {
        var problems = Problems("""
            {
              "entry": { "filter": { "colour": "red" }, "events": [ { "type": "clicked" } ] },
              "steps": [
                { "key": "a", "type": "email" },
                { "key": "b", "type": "wait", "duration": "soon" },
                { "key": "c", "type": "wait", "until": { "weekday": "funday", "time": "25:00" } },
                { "key": "d", "type": "branch", "if": { "email": "opened" }, "then": "nowhere" },
                { "key": "d", "type": "teleport" }
              ],
              "exits": ["bored"],
              "holdoutPercent": 90
            }
            """).Select(p => p.Path).ToList();
        Assert.Contains("entry.filter.colour", problems);
        Assert.Contains("entry.events[0].type", problems);
        Assert.Contains("steps[0].templateId", problems);
        Assert.Contains("steps[1].duration", problems);
        Assert.Contains("steps[2].until.weekday", problems);
        Assert.Contains("steps[2].until.time", problems);
        Assert.Contains("steps[4].type", problems);
        Assert.Contains("exits[0]", problems);
        Assert.Contains("holdoutPercent", problems);
    }

    [Fact]
    public void Targets_must_exist_keys_be_unique_and_steps_never_circle()
    {
        Assert.Contains(Problems("""{"steps":[{"key":"a","type":"branch","if":{"score":"fit","atLeast":5},"then":"zz"}]}"""),
            p => p.Path == "steps[0].then" && p.Message.Contains("zz"));
        Assert.Contains(Problems("""{"steps":[{"key":"a","type":"handToSales"},{"key":"a","type":"exit"}]}"""), p => p.Path == "steps[1].key");
        Assert.Contains(Problems("""{"steps":[{"key":"a","type":"wait","duration":"1d"},{"key":"b","type":"email","templateId":3,"next":"a"}]}"""),
            p => p.Message.Contains("circle"));
        Assert.Contains(Problems("""{"steps":[]}"""), p => p.Path == "steps");
        Assert.Contains(Problems("""{"steps":[{"key":"s","type":"changeStage","stage":"Recycled"}]}"""), p => p.Path == "steps[0].reasonCode");
    }

    [Fact]
    public void Email_then_wait_then_branch_on_the_click_of_the_previous_email()
    {
        var d = Parsed(Welcome);
        var monday = new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
        var send = Assert.IsType<RunStep>(NurturePlanner.Next(d, "hello", Facts(monday)));
        Assert.Equal(1, Assert.IsType<EmailStep>(send.Step).TemplateId);
        Assert.Equal("pause", send.Next);

        var wait = Assert.IsType<WaitThen>(NurturePlanner.Next(d, "pause", Facts(monday)));
        Assert.Equal(monday.AddDays(2), wait.At);
        Assert.Equal("clicked", wait.Next);

        var clicked = new EmailFacts("hello", monday, Opened: true, Clicked: true, Replied: false);
        var notClicked = new EmailFacts("again", monday.AddHours(1), Opened: true, Clicked: false, Replied: false);
        Assert.Equal("call", Assert.IsType<BranchTo>(NurturePlanner.Next(d, "clicked", Facts(monday, null, clicked))).To);
        Assert.Equal("again", Assert.IsType<BranchTo>(NurturePlanner.Next(d, "clicked", Facts(monday, null, clicked, notClicked))).To); // previous = the latest
        Assert.Equal("again", Assert.IsType<BranchTo>(NurturePlanner.Next(d, "clicked", Facts(monday))).To);

        var exit = Assert.IsType<ExitWith>(NurturePlanner.Next(d, "done", Facts(monday)));
        Assert.Equal((ExitReasons.ExitStep, "series over"), (exit.Reason, exit.Detail));
        Assert.Equal(ExitReasons.Completed, Assert.IsType<ExitWith>(NurturePlanner.Next(d, null, Facts(monday))).Reason);
    }

    [Theory]
    [InlineData("""{"email":"opened","of":"any"}""", true)]
    [InlineData("""{"email":"replied","of":"any"}""", false)]
    [InlineData("""{"score":"engagement","atLeast":55}""", true)]
    [InlineData("""{"score":"fit","atLeast":71}""", false)]
    [InlineData("""{"field":"title","contains":"vp"}""", true)]
    [InlineData("""{"field":"country","equals":"de"}""", true)]
    [InlineData("""{"field":"country","equals":"FR"}""", false)]
    [InlineData("""{"field":"custom.plan","equals":"pro"}""", false)]
    public void Branch_conditions_read_the_facts(string condition, bool expected)
    {
        var d = Parsed($$"""{"steps":[{"key":"b","type":"branch","if":{{condition}},"then":"yes","else":"no"},{"key":"yes","type":"exit"},{"key":"no","type":"exit"}]}""");
        var at = DateTimeOffset.UnixEpoch;
        var facts = Facts(at, null, new EmailFacts("e1", at, true, false, false), new EmailFacts("e2", at.AddDays(1), false, false, false));
        Assert.Equal(expected ? "yes" : "no", Assert.IsType<BranchTo>(NurturePlanner.Next(d, "b", facts)).To);
    }

    [Fact]
    public void Business_days_skip_the_weekend_at_the_same_local_time()
    {
        // Thursday 5 November 2026, 15:30 in Berlin (14:30 UTC): two business days later is Monday 15:30 Berlin.
        var thursday = new DateTimeOffset(2026, 11, 5, 14, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 14, 30, 0, TimeSpan.Zero), NurtureTime.AddBusinessDays(thursday, 2, Berlin));
        // Saturday: Monday is the first business day.
        var saturday = new DateTimeOffset(2026, 11, 7, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 9, 0, 0, TimeSpan.Zero), NurtureTime.AddBusinessDays(saturday, 1, TimeZoneInfo.Utc));
    }

    [Fact]
    public void Until_a_weekday_and_local_time_depends_on_the_persons_zone()
    {
        // Monday 2 November 2026 at 12:00 UTC: it is 13:00 in Berlin and 07:00 in New York.
        var now = new DateTimeOffset(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);
        var tuesdayTen = new WaitUntil(DayOfWeek.Tuesday, new TimeOnly(10, 0));
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero), NurtureTime.Until(tuesdayTen, now, Berlin));
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 15, 0, 0, TimeSpan.Zero), NurtureTime.Until(tuesdayTen, now, NewYork));
        // Monday 10:00 local: already past in Berlin (next week), still ahead in New York (today).
        var mondayTen = new WaitUntil(DayOfWeek.Monday, new TimeOnly(10, 0));
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 9, 0, 0, TimeSpan.Zero), NurtureTime.Until(mondayTen, now, Berlin));
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 15, 0, 0, TimeSpan.Zero), NurtureTime.Until(mondayTen, now, NewYork));
        // Across the end of summer time: Sunday 25 October 2026 is when Berlin falls back to UTC+1.
        var saturdayBefore = new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 10, 26, 9, 0, 0, TimeSpan.Zero), NurtureTime.Until(mondayTen, saturdayBefore, Berlin));
    }

    [Fact]
    public void An_email_due_outside_the_send_window_waits_for_its_opening_in_the_persons_zone()
    {
        var d = Parsed(Welcome);
        // Friday 6 November 2026 at 17:30 UTC = 18:30 Berlin: closed until Monday 09:00 Berlin (08:00 UTC).
        var fridayEvening = new DateTimeOffset(2026, 11, 6, 17, 30, 0, TimeSpan.Zero);
        var defer = Assert.IsType<Defer>(NurturePlanner.Next(d, "hello", Facts(fridayEvening, Berlin)));
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 8, 0, 0, TimeSpan.Zero), defer.At);
        // The same instant is 12:30 in New York: open, the email goes.
        Assert.IsType<RunStep>(NurturePlanner.Next(d, "hello", Facts(fridayEvening, NewYork)));
    }

    [Fact]
    public void Holdout_is_deterministic_per_person_and_program_and_near_its_share()
    {
        var held = Enumerable.Range(1, 10_000).Count(p => Holdout.IsHeldOut(p, 7, 10));
        Assert.InRange(held, 850, 1150);
        Assert.Equal(Holdout.IsHeldOut(42, 7, 10), Holdout.IsHeldOut(42, 7, 10));
        Assert.Equal(0, Enumerable.Range(1, 1000).Count(p => Holdout.IsHeldOut(p, 7, 0)));
        // Another program draws another group.
        var both = Enumerable.Range(1, 10_000).Count(p => Holdout.IsHeldOut(p, 7, 10) && Holdout.IsHeldOut(p, 8, 10));
        Assert.InRange(both, 50, 160);
    }

    [Theory]
    [InlineData("2d", 48 * 60)]
    [InlineData("36h", 36 * 60)]
    [InlineData("1d12h", 36 * 60)]
    [InlineData("90m", 90)]
    public void Durations_read_days_hours_and_minutes(string text, int minutes)
    {
        Assert.True(ProgramParser.TryDuration(text, out var span));
        Assert.Equal(TimeSpan.FromMinutes(minutes), span);
    }

    [Fact]
    public void Entry_event_for_a_stage_matches_only_that_stage()
    {
        var d = Parsed("""{"entry":{"events":[{"type":"becameStage","stage":"Recycled"}]},"steps":[{"key":"x","type":"exit"}]}""");
        Assert.True(d.Entry.Events[0].Matches(EntryEventType.BecameStage, null, Stage.Recycled));
        Assert.False(d.Entry.Events[0].Matches(EntryEventType.BecameStage, null, Stage.Lead));
    }

    [Fact]
    public void Merge_fields_fill_in_values_defaults_and_nothing()
    {
        var fields = new Dictionary<string, string?> { ["firstName"] = "Sam", ["company"] = " ", ["custom.plan"] = "pro" };
        Assert.Equal("Call Sam at their company (pro) ", MergeText.Apply("Call {{firstName}} at {{ company | default: \"their company\" }} ({{custom.plan}}) {{title}}", fields));
    }
}

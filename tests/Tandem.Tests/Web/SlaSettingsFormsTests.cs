using Tandem.Server.Sla;
using Tandem.Server.Web.Settings;

namespace Tandem.Tests.Web;

/// <summary>How the service-level forms read what was typed, and how the pages put a policy into words. No database.</summary>
public sealed class SlaSettingsFormsTests
{
    private static PolicyDto Policy(DurationDto? firstTouch = null, DurationDto? decision = null, AttemptsDto? attempts = null, SegmentDto? segment = null) =>
        new(1, "P", "MQL", segment ?? new SegmentDto([], [], []), 10, 1, firstTouch, decision, attempts, [50, 80], new BreachDto(true, false), true,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_policy_reads_as_the_promises_people_make()
    {
        var p = Policy(new DurationDto(4, "hours"), new DurationDto(2, "days"), new AttemptsDto(6, new DurationDto(10, "days")));

        Assert.Equal("first touch within 4 business hours; decision within 2 business days; 6 attempts over 10 business days", SlaWords.Promises(p));
        Assert.Equal("first touch within 1 business hour", SlaWords.Promises(Policy(new DurationDto(1, "hours"))));
    }

    [Fact]
    public void A_segment_reads_in_words_and_an_open_segment_covers_every_lead_in_the_stage()
    {
        var teams = new Dictionary<long, string> { [3] = "EMEA SDR" };

        Assert.Equal("grades A or B · from Paid Search, Events or Webinar · on EMEA SDR",
            SlaWords.Segment(new SegmentDto(["A", "B"], ["Paid Search", "Events", "Webinar"], [3]), teams));
        Assert.Equal("every lead in the stage", SlaWords.Segment(new SegmentDto([], [], []), teams));
    }

    [Fact]
    public void Weekly_hours_join_consecutive_days_with_the_same_hours_and_leave_closed_days_out()
    {
        var nineToFive = new[] { "09:00-17:00" };
        var hours = new Dictionary<string, IReadOnlyList<string>>
        {
            ["monday"] = nineToFive, ["tuesday"] = nineToFive, ["wednesday"] = nineToFive, ["thursday"] = nineToFive, ["friday"] = ["09:00-15:00"],
            ["sunday"] = ["10:00-12:00", "13:00-14:00"],
        };

        Assert.Equal("Mon–Thu 09:00–17:00 · Fri 09:00–15:00 · Sun 10:00–12:00, 13:00–14:00", SlaWords.WeeklyHours(hours));
    }

    [Fact]
    public void A_blank_amount_is_no_promise_and_text_that_is_not_a_number_goes_on_to_be_refused()
    {
        var form = new SlaPolicyForm
        {
            Name = "P", CalendarId = 1, FirstTouchAmount = "", DecisionAmount = "soon", AttemptsMinimum = "3", AttemptsOverAmount = "",
            ReminderPercents = "50, 80%, x", Sources = "Paid Search, , Events", Grades = ["A"],
        };

        var request = form.ToRequest();

        Assert.Null(request.FirstTouch);
        Assert.NotNull(request.Decision);
        Assert.NotInRange(request.Decision!.Amount!.Value, 1, 100_000);
        Assert.Equal(3, request.Attempts!.Minimum);
        Assert.Null(request.Attempts.Over);
        Assert.Equal(3, request.ReminderPercents!.Count);
        Assert.Equal([50, 80], request.ReminderPercents.Take(2));
        Assert.NotInRange(request.ReminderPercents[2], 1, 99);
        Assert.Equal(["Paid Search", "Events"], request.Segment!.Sources);
    }

    [Fact]
    public void Calendar_hours_are_read_per_day_and_a_blank_day_is_closed()
    {
        var form = new SlaCalendarForm
        {
            Name = "Office", TimeZone = " Europe/Berlin ",
            Hours = new() { ["monday"] = "09:00-12:00, 13:00 – 17:00", ["tuesday"] = "  ", ["wednesday"] = "9 to 5" },
            Holidays = "2026-12-25 Christmas Day\n\n2026-12-26\nnext Friday",
        };

        var request = form.ToRequest();

        Assert.Equal("Europe/Berlin", request.TimeZone);
        Assert.Equal(["09:00-12:00", "13:00-17:00"], request.WeeklyHours!["monday"]);
        Assert.False(request.WeeklyHours.ContainsKey("tuesday"));
        Assert.Equal(["9to5"], request.WeeklyHours["wednesday"]); // passed on, to be refused as "not an interval"
        Assert.Equal([new HolidayDto(new DateOnly(2026, 12, 25), "Christmas Day"), new HolidayDto(new DateOnly(2026, 12, 26), null), new HolidayDto(default, "next Friday")],
            request.Holidays);
    }

    [Fact]
    public void A_calendar_read_back_into_the_form_saves_as_the_same_request()
    {
        var dto = new CalendarDto(1, "Office", "UTC", new Dictionary<string, IReadOnlyList<string>> { ["friday"] = ["09:00-12:00", "13:00-17:00"] },
            [new HolidayDto(new DateOnly(2026, 12, 25), "Christmas")], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        var request = SlaCalendarForm.From(dto).ToRequest();

        Assert.Equal(["friday"], request.WeeklyHours!.Keys);
        Assert.Equal(["09:00-12:00", "13:00-17:00"], request.WeeklyHours["friday"]);
        Assert.Equal(dto.Holidays, request.Holidays);
    }

    [Fact]
    public void The_week_picker_reads_ISO_weeks_and_falls_back_to_the_current_week()
    {
        var now = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero); // a Tuesday

        var picked = SlaPeriod.WeekOf("2026-W45", now);
        var current = SlaPeriod.WeekOf("not a week", now);
        var yearEnd = SlaPeriod.WeekOf("2026-W53", now);

        Assert.Equal(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), picked.From);
        Assert.Equal(picked.From.AddDays(7), picked.To);
        Assert.Equal(("2026-W44", "2026-W46"), (picked.Previous, picked.Next));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), current.From);
        Assert.Equal("2026-W53", yearEnd.Value);
        Assert.Equal("2027-W01", yearEnd.Next);
        Assert.Equal("2026-11", SlaPeriod.MonthOf("2026-13", new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero)).Value);
        Assert.Equal(("2026-12", "2027-02"), (SlaPeriod.MonthOf("2027-01", now).Previous, SlaPeriod.MonthOf("2027-01", now).Next));
    }
}

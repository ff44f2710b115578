using Tandem.Domain.Sla;

namespace Tandem.Tests.Sla;

public sealed class BusinessCalendarTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly DateOnly Thanksgiving = new(2026, 11, 26);

    private static BusinessCalendar NewYorkOffice(params DateOnly[] holidays) => new(NewYork, WeeklyHours.Weekdays(9 * 60, 17 * 60), holidays);

    private static DateTimeOffset Utc(int y, int m, int d, int h, int min = 0) => new(y, m, d, h, min, 0, TimeSpan.Zero);

    [Fact]
    public void One_business_hour_given_late_on_friday_is_due_on_monday_morning()
    {
        // Friday 2026-11-20 16:30 in New York (EST, UTC-5) = 21:30Z; 30 minutes left on Friday, 30 on Monday.
        var due = NewYorkOffice().AddTime(Utc(2026, 11, 20, 21, 30), TimeSpan.FromHours(1));
        Assert.Equal(Utc(2026, 11, 23, 14, 30), due); // Monday 09:30 EST
    }

    [Fact]
    public void A_lead_assigned_on_saturday_starts_its_clock_at_monday_opening()
    {
        var due = NewYorkOffice().Add(Utc(2026, 11, 21, 15), BusinessDuration.Hours(1));
        Assert.Equal(Utc(2026, 11, 23, 15), due); // Monday 10:00 EST
    }

    [Fact]
    public void Holidays_are_skipped()
    {
        // Wednesday 2026-11-25 16:30 EST + 1h: Thursday is Thanksgiving, so the second half lands on Friday 09:30.
        var due = NewYorkOffice(Thanksgiving).AddTime(Utc(2026, 11, 25, 21, 30), TimeSpan.FromHours(1));
        Assert.Equal(Utc(2026, 11, 27, 14, 30), due);
    }

    [Fact]
    public void Business_hours_keep_their_local_times_when_daylight_saving_ends()
    {
        // Friday 2026-10-30 16:00 EDT (20:00Z) + 2h; clocks fall back on Sunday 1 November, so Monday opens at 14:00Z.
        var due = NewYorkOffice().AddTime(Utc(2026, 10, 30, 20), TimeSpan.FromHours(2));
        Assert.Equal(Utc(2026, 11, 2, 15), due); // Monday 10:00 EST
    }

    [Fact]
    public void Business_hours_keep_their_local_times_when_daylight_saving_starts()
    {
        // Friday 2026-03-06 16:00 EST (21:00Z) + 2h; clocks spring forward on Sunday 8 March, so Monday opens at 13:00Z.
        var due = NewYorkOffice().AddTime(Utc(2026, 3, 6, 21), TimeSpan.FromHours(2));
        Assert.Equal(Utc(2026, 3, 9, 14), due); // Monday 10:00 EDT
    }

    [Fact]
    public void The_same_instant_is_due_at_different_times_in_different_time_zones()
    {
        var assigned = Utc(2026, 11, 23, 16); // Monday: 11:00 in New York, 17:00 in Berlin
        var berlin = new BusinessCalendar(Berlin, WeeklyHours.Weekdays(9 * 60, 18 * 60));
        Assert.Equal(Utc(2026, 11, 23, 20), NewYorkOffice().AddTime(assigned, TimeSpan.FromHours(4)));
        Assert.Equal(Utc(2026, 11, 24, 11), berlin.AddTime(assigned, TimeSpan.FromHours(4))); // 1h Monday, 3h Tuesday from 09:00 CET
    }

    [Fact]
    public void Business_time_between_counts_only_working_intervals()
    {
        var calendar = NewYorkOffice(Thanksgiving);
        Assert.Equal(TimeSpan.FromHours(2), calendar.Between(Utc(2026, 11, 20, 21), Utc(2026, 11, 23, 15)));      // Fri 16:00 → Mon 10:00
        Assert.Equal(TimeSpan.FromHours(7), calendar.Between(Utc(2026, 11, 25, 22), Utc(2026, 11, 27, 21)));      // Wed 17:00 → Fri 16:00 over the holiday
        Assert.Equal(TimeSpan.FromHours(2), calendar.Between(Utc(2026, 10, 30, 20), Utc(2026, 11, 2, 15)));       // across the DST change
        Assert.Equal(TimeSpan.Zero, calendar.Between(Utc(2026, 11, 23, 15), Utc(2026, 11, 20, 21)));
    }

    [Fact]
    public void Adding_then_measuring_gives_back_the_same_business_time()
    {
        var calendar = NewYorkOffice(Thanksgiving);
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var start = Utc(2026, 10, 20, 0).AddMinutes(random.Next(0, 60 * 24 * 60));
            var span = TimeSpan.FromMinutes(random.Next(1, 60 * 60));
            Assert.Equal(span, calendar.Between(start, calendar.AddTime(start, span)));
        }
    }

    [Fact]
    public void Business_days_land_on_the_same_point_of_a_later_working_day()
    {
        var calendar = NewYorkOffice(Thanksgiving);
        // Monday 16 Nov 10:00 EST + 10 business days: 17,18,19,20,23,24,25,27,30 Nov, 1 Dec (Thanksgiving skipped).
        Assert.Equal(Utc(2026, 12, 1, 15), calendar.Add(Utc(2026, 11, 16, 15), BusinessDuration.Days(10)));
        // Friday after closing + 1 day = Tuesday's opening: the clock starts at Monday's opening, a whole day later is Tuesday's.
        Assert.Equal(Utc(2026, 11, 24, 14), calendar.Add(Utc(2026, 11, 20, 23), BusinessDuration.Days(1)));
    }

    [Fact]
    public void A_wall_clock_calendar_runs_through_nights_and_weekends()
    {
        var start = Utc(2026, 11, 20, 21, 30);
        Assert.Equal(start.AddHours(30), BusinessCalendar.AlwaysOpen.AddTime(start, TimeSpan.FromHours(30)));
        Assert.Equal(TimeSpan.FromDays(3), BusinessCalendar.AlwaysOpen.Between(start, start.AddDays(3)));
    }

    [Fact]
    public void Split_days_with_a_lunch_break_do_not_count_the_break()
    {
        var hours = new WeeklyHours(new Dictionary<DayOfWeek, IReadOnlyList<WorkingInterval>>
        {
            [DayOfWeek.Monday] = [WorkingInterval.TryParse("09:00-12:00")!.Value, WorkingInterval.TryParse("13:00-17:00")!.Value],
        });
        var calendar = new BusinessCalendar(TimeZoneInfo.Utc, hours);
        Assert.Equal(Utc(2026, 11, 23, 13, 30), calendar.AddTime(Utc(2026, 11, 23, 11), TimeSpan.FromMinutes(90)));
        Assert.Equal(Utc(2026, 11, 30, 9, 30), calendar.AddTime(Utc(2026, 11, 23, 16), TimeSpan.FromMinutes(90))); // next Monday
    }

    [Fact]
    public void A_calendar_without_working_hours_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new BusinessCalendar(NewYork, new WeeklyHours(new Dictionary<DayOfWeek, IReadOnlyList<WorkingInterval>>())));
    }

    [Theory]
    [InlineData("09:00-17:00", 540, 1020)]
    [InlineData("00:00-24:00", 0, 1440)]
    [InlineData("17:00-09:00", null, null)]
    [InlineData("9:00-17:00", null, null)]
    [InlineData("09:00-25:00", null, null)]
    public void Working_intervals_parse_from_text(string text, int? start, int? end)
    {
        var parsed = WorkingInterval.TryParse(text);
        Assert.Equal(start, parsed?.StartMinute);
        Assert.Equal(end, parsed?.EndMinute);
    }
}

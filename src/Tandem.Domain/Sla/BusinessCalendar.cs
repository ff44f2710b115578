namespace Tandem.Domain.Sla;

/// <summary>
/// Working time in one place: a time zone, weekly hours and holidays. Answers the two questions every
/// SLA clock asks — "when is T plus N business hours (or days)?" and "how much business time passed
/// between A and B?" — in local time, so a 09:00–17:00 day stays 09:00–17:00 across daylight-saving changes.
/// </summary>
public sealed class BusinessCalendar
{
    /// <summary>How far ahead to look for working time before deciding a calendar has none (a year of holidays, say).</summary>
    private const int SearchDays = 3 * 366;

    private readonly HashSet<DateOnly> holidays;

    public BusinessCalendar(TimeZoneInfo timeZone, WeeklyHours hours, IEnumerable<DateOnly>? holidays = null)
    {
        if (hours.IsEmpty) throw new ArgumentException("A calendar needs at least one working interval in the week.", nameof(hours));
        TimeZone = timeZone;
        Hours = hours;
        this.holidays = [.. holidays ?? []];
    }

    public TimeZoneInfo TimeZone { get; }
    public WeeklyHours Hours { get; }
    public IReadOnlyCollection<DateOnly> Holidays => holidays;

    /// <summary>A wall-clock calendar in UTC: business time equals elapsed time.</summary>
    public static BusinessCalendar AlwaysOpen { get; } = new(TimeZoneInfo.Utc, WeeklyHours.AlwaysOpen);

    public bool IsWorkingDate(DateOnly date) => !holidays.Contains(date) && Hours.On(date.DayOfWeek).Count > 0;

    /// <summary>The instant at which <paramref name="duration"/> of business time has passed since <paramref name="from"/>.</summary>
    public DateTimeOffset Add(DateTimeOffset from, BusinessDuration duration) => duration.Unit switch
    {
        BusinessUnit.Days => AddDays(from, duration.Amount),
        _ => AddTime(from, duration.ToTimeSpan()),
    };

    /// <summary>Adds business time: the clock only runs inside working intervals.</summary>
    public DateTimeOffset AddTime(DateTimeOffset from, TimeSpan businessTime)
    {
        if (businessTime <= TimeSpan.Zero) return from;
        var left = businessTime;
        foreach (var (start, end) in WindowsFrom(from))
        {
            var length = end - start;
            if (left <= length) return start + left;
            left -= length;
        }
        throw NoWorkingTime();
    }

    /// <summary>
    /// Adds whole business days: the same point of the working day, <paramref name="days"/> working dates later
    /// (Monday 10:00 + 1 day = Tuesday 10:00; Friday after closing + 1 day = Tuesday opening), skipping holidays.
    /// </summary>
    public DateTimeOffset AddDays(DateTimeOffset from, int days)
    {
        if (days <= 0) return from;
        var (date, start, _) = WorkingWindows(LocalDate(from).AddDays(-1)).First(w => w.End > from);
        var position = start > from ? start : from;
        var intoDay = BusinessTime(WorkingDay(date), DayStart(date), position);
        var target = date;
        for (var i = 0; i < days; i++) target = NextWorkingDate(target);
        var windows = WorkingDay(target);
        var left = intoDay;
        foreach (var (s, e) in windows)
        {
            if (left < e - s) return s + left;
            left -= e - s;
        }
        return windows[^1].End; // the target day is shorter than the start day: its close
    }

    /// <summary>The business time that passed between two instants (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to)
    {
        var total = TimeSpan.Zero;
        if (to <= from) return total;
        foreach (var (start, end) in WindowsFrom(from))
        {
            if (start >= to) break;
            total += (end < to ? end : to) - start;
        }
        return total;
    }

    /// <summary>The working windows (UTC instants) at or after <paramref name="from"/>, the first clipped to start at it.</summary>
    public IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> WindowsFrom(DateTimeOffset from)
    {
        foreach (var (_, start, end) in WorkingWindows(LocalDate(from).AddDays(-1)))
        {
            if (end <= from) continue;
            yield return (start > from ? start : from, end);
        }
    }

    private IEnumerable<(DateOnly Date, DateTimeOffset Start, DateTimeOffset End)> WorkingWindows(DateOnly firstDate)
    {
        for (var i = 0; i <= SearchDays; i++)
        {
            var date = firstDate.AddDays(i);
            foreach (var (start, end) in WorkingDay(date)) yield return (date, start, end);
        }
        throw NoWorkingTime();
    }

    private List<(DateTimeOffset Start, DateTimeOffset End)> WorkingDay(DateOnly date)
    {
        var windows = new List<(DateTimeOffset, DateTimeOffset)>();
        if (holidays.Contains(date)) return windows;
        foreach (var interval in Hours.On(date.DayOfWeek))
        {
            var start = ToInstant(date, interval.StartMinute);
            var end = ToInstant(date, interval.EndMinute);
            if (end > start) windows.Add((start, end)); // an interval wholly inside a spring-forward gap has no time
        }
        return windows;
    }

    private DateOnly NextWorkingDate(DateOnly date)
    {
        for (var i = 1; i <= SearchDays; i++)
            if (IsWorkingDate(date.AddDays(i)) && WorkingDay(date.AddDays(i)).Count > 0) return date.AddDays(i);
        throw NoWorkingTime();
    }

    private static TimeSpan BusinessTime(IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> windows, DateTimeOffset from, DateTimeOffset to) =>
        windows.Aggregate(TimeSpan.Zero, (sum, w) =>
        {
            var s = w.Start > from ? w.Start : from;
            var e = w.End < to ? w.End : to;
            return e > s ? sum + (e - s) : sum;
        });

    private DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    private DateTimeOffset DayStart(DateOnly date) => ToInstant(date, 0);

    /// <summary>
    /// The instant of a local wall-clock time. A time skipped by spring-forward is read with the offset before
    /// the change (02:30 becomes 03:30 daylight time); a time repeated by fall-back means its first occurrence.
    /// </summary>
    private DateTimeOffset ToInstant(DateOnly date, int minute)
    {
        var local = date.ToDateTime(TimeOnly.MinValue).AddMinutes(minute);
        TimeSpan offset;
        if (TimeZone.IsInvalidTime(local)) offset = TimeZone.GetUtcOffset(local.AddHours(-6));
        else if (TimeZone.IsAmbiguousTime(local)) offset = TimeZone.GetAmbiguousTimeOffsets(local).Max();
        else offset = TimeZone.GetUtcOffset(local);
        return new DateTimeOffset(DateTime.SpecifyKind(local - offset, DateTimeKind.Utc), TimeSpan.Zero);
    }

    private static InvalidOperationException NoWorkingTime() =>
        new("The calendar has no working time in the next three years; check its weekly hours and holidays.");
}

public enum BusinessUnit { Minutes, Hours, Days }

/// <summary>An amount of business time as people state it: "1 business hour", "10 business days".</summary>
public readonly record struct BusinessDuration(int Amount, BusinessUnit Unit)
{
    public static BusinessDuration Minutes(int n) => new(n, BusinessUnit.Minutes);
    public static BusinessDuration Hours(int n) => new(n, BusinessUnit.Hours);
    public static BusinessDuration Days(int n) => new(n, BusinessUnit.Days);

    /// <summary>The length as business time; days have no fixed length, so they are only added through a calendar.</summary>
    public TimeSpan ToTimeSpan() => Unit switch
    {
        BusinessUnit.Minutes => TimeSpan.FromMinutes(Amount),
        BusinessUnit.Hours => TimeSpan.FromHours(Amount),
        _ => throw new InvalidOperationException("Business days have no fixed length; add them with BusinessCalendar.AddDays."),
    };

    public override string ToString() => $"{Amount} business {Unit.ToString().ToLowerInvariant()[..^(Amount == 1 ? 1 : 0)]}";
}

namespace Tandem.Domain.Sla;

/// <summary>One stretch of working time on a weekday, in the calendar's local time: [Start, End) in minutes after midnight.</summary>
public readonly record struct WorkingInterval(int StartMinute, int EndMinute)
{
    public const int MinutesPerDay = 24 * 60;

    public int Minutes => EndMinute - StartMinute;

    /// <summary>Parses "09:00-17:30" (End may be "24:00"); null when malformed or empty.</summary>
    public static WorkingInterval? TryParse(string? text)
    {
        var parts = text?.Split('-', StringSplitOptions.TrimEntries);
        if (parts is not { Length: 2 }) return null;
        if (ParseMinute(parts[0]) is not { } start || ParseMinute(parts[1]) is not { } end || end <= start) return null;
        return new WorkingInterval(start, end);
    }

    public override string ToString() => $"{StartMinute / 60:00}:{StartMinute % 60:00}-{EndMinute / 60:00}:{EndMinute % 60:00}";

    private static int? ParseMinute(string text)
    {
        var hm = text.Split(':');
        if (hm.Length != 2 || hm[0].Length != 2 || hm[1].Length != 2) return null;
        if (!int.TryParse(hm[0], out var h) || !int.TryParse(hm[1], out var m) || m is < 0 or > 59) return null;
        var total = h * 60 + m;
        return h is >= 0 and <= 24 && total <= MinutesPerDay ? total : null;
    }
}

/// <summary>The working intervals of each day of the week, sorted and never overlapping.</summary>
public sealed class WeeklyHours
{
    private readonly IReadOnlyList<WorkingInterval>[] days = new IReadOnlyList<WorkingInterval>[7];

    public WeeklyHours(IReadOnlyDictionary<DayOfWeek, IReadOnlyList<WorkingInterval>> byDay)
    {
        for (var d = 0; d < 7; d++)
        {
            var list = byDay.TryGetValue((DayOfWeek)d, out var l) ? l.OrderBy(i => i.StartMinute).ToList() : [];
            for (var i = 1; i < list.Count; i++)
                if (list[i].StartMinute < list[i - 1].EndMinute)
                    throw new ArgumentException($"Working intervals on {(DayOfWeek)d} overlap: {list[i - 1]} and {list[i]}.");
            days[d] = list;
        }
    }

    /// <summary>Monday to Friday, the same hours each day — the usual office week.</summary>
    public static WeeklyHours Weekdays(int startMinute, int endMinute) => new(
        Enum.GetValues<DayOfWeek>().Where(d => d is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            .ToDictionary(d => d, IReadOnlyList<WorkingInterval> (_) => [new WorkingInterval(startMinute, endMinute)]));

    /// <summary>Every minute of every day: a clock that runs like a wall clock.</summary>
    public static WeeklyHours AlwaysOpen { get; } = new(
        Enum.GetValues<DayOfWeek>().ToDictionary(d => d, IReadOnlyList<WorkingInterval> (_) => [new WorkingInterval(0, WorkingInterval.MinutesPerDay)]));

    public IReadOnlyList<WorkingInterval> On(DayOfWeek day) => days[(int)day];

    public bool IsEmpty => days.All(d => d.Count == 0);
}

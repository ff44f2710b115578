namespace Tandem.Domain.Planning;

public enum PeriodKind { Month, Quarter, Year }

/// <summary>
/// The span a plan covers: a calendar month, quarter or year (UTC days), starting on its first day. Monthly figures split
/// the plan by each month's days, the same measure pacing uses for "pro rata to the days gone".
/// </summary>
public sealed record PlanPeriod(PeriodKind Kind, DateOnly Start)
{
    public DateOnly End => Kind switch
    {
        PeriodKind.Month => Start.AddMonths(1),
        PeriodKind.Quarter => Start.AddMonths(3),
        _ => Start.AddYears(1),
    };

    public int Days => End.DayNumber - Start.DayNumber;

    public DateTimeOffset StartsAt => new(Start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    public DateTimeOffset EndsAt => new(End.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The period's calendar months, each with its share of the period's days.</summary>
    public IReadOnlyList<(DateOnly Month, double Share)> Months()
    {
        var months = new List<(DateOnly, double)>();
        for (var m = Start; m < End; m = m.AddMonths(1))
            months.Add((m, (double)(m.AddMonths(1).DayNumber - m.DayNumber) / Days));
        return months;
    }

    /// <summary>"Q4 2026", "November 2026", "2026".</summary>
    public string Label => Kind switch
    {
        PeriodKind.Month => Start.ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture),
        PeriodKind.Quarter => $"Q{(Start.Month - 1) / 3 + 1} {Start.Year}",
        _ => Start.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The period of the kind that contains <paramref name="day"/>: its month, its calendar quarter or its year.</summary>
    public static PlanPeriod Containing(PeriodKind kind, DateOnly day) => kind switch
    {
        PeriodKind.Month => new(kind, new DateOnly(day.Year, day.Month, 1)),
        PeriodKind.Quarter => new(kind, new DateOnly(day.Year, (day.Month - 1) / 3 * 3 + 1, 1)),
        _ => new(kind, new DateOnly(day.Year, 1, 1)),
    };

    /// <summary>Null when the start is a period's first day (a month's first, a quarter's first month, 1 January); else why not.</summary>
    public string? Problem() => Start.Day != 1 ? "A period starts on the first day of a month."
        : Kind == PeriodKind.Quarter && (Start.Month - 1) % 3 != 0 ? "A quarter starts on 1 January, 1 April, 1 July or 1 October."
        : Kind == PeriodKind.Year && Start.Month != 1 ? "A year starts on 1 January."
        : null;
}

using System.Globalization;

namespace Tandem.Server.Web.Settings;

/// <summary>
/// The periods the service-level page reports on: sales by ISO week ("2026-W49", as a week picker sends it), marketing by
/// calendar month ("2026-12"), both in UTC like the API's scorecards. Unreadable or missing input falls back to the current period.
/// </summary>
internal static class SlaPeriod
{
    public sealed record Week(string Value, DateTimeOffset From, DateTimeOffset To, string Label, string Previous, string Next);

    public sealed record Month(string Value, string Label, string Previous, string Next);

    public static Week WeekOf(string? iso, DateTimeOffset now)
    {
        var monday = TryParseWeek(iso) ?? DateOnly.FromDateTime(ISOWeek.ToDateTime(ISOWeek.GetYear(now.UtcDateTime), ISOWeek.GetWeekOfYear(now.UtcDateTime), DayOfWeek.Monday));
        var from = new DateTimeOffset(monday.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var label = $"{monday:MMM d} – {monday.AddDays(6):MMM d, yyyy}";
        return new Week(Iso(monday), from, from.AddDays(7), label, Iso(monday.AddDays(-7)), Iso(monday.AddDays(7)));
    }

    public static Month MonthOf(string? yyyyMm, DateTimeOffset now)
    {
        var first = DateTime.TryParseExact(yyyyMm?.Trim(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m)
            ? m : new DateTime(now.UtcDateTime.Year, now.UtcDateTime.Month, 1);
        return new Month(first.ToString("yyyy-MM", CultureInfo.InvariantCulture), first.ToString("MMMM yyyy", CultureInfo.InvariantCulture),
            first.AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture), first.AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture));
    }

    private static DateOnly? TryParseWeek(string? text)
    {
        var parts = (text ?? "").Trim().ToUpperInvariant().Split("-W");
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var week)
            || year is < 1 or > 9998 || week < 1 || week > ISOWeek.GetWeeksInYear(year)) return null;
        return DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday));
    }

    private static string Iso(DateOnly monday)
    {
        var d = monday.ToDateTime(TimeOnly.MinValue);
        return $"{ISOWeek.GetYear(d)}-W{ISOWeek.GetWeekOfYear(d):00}";
    }
}

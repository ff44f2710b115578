using System.Globalization;
using Tandem.Domain.Import;
using Tandem.Server.Hosting;

namespace Tandem.Server.Reports;

/// <summary>
/// How every report reads the ends of its period from a query string or a page's address, so that
/// "from=2026-10-01&amp;to=2026-12-31" is the fourth quarter on every report, page and endpoint alike: a date is a whole
/// UTC day, and <c>to</c> includes it; an instant (2026-10-01T09:00:00Z) is taken as it is, and <c>to</c> excludes it.
/// </summary>
internal static class PeriodBounds
{
    public const string Expected = "Expected a date such as 2026-10-01 or an instant such as 2026-10-01T09:00:00Z.";

    /// <summary>Where the period starts: a date's first instant, or the instant given; null when not given or not readable.</summary>
    public static DateTimeOffset? Start(string? text, Validation v, string field = "from") => Read(text, v, field, end: false);

    /// <summary>Where the period ends, excluded: the start of the day after a date, or the instant given.</summary>
    public static DateTimeOffset? End(string? text, Validation v, string field = "to") => Read(text, v, field, end: true);

    private static DateTimeOffset? Read(string? text, Validation v, string field, bool end)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var trimmed = text.Trim();
        if (DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return end ? start.AddDays(1) : start;
        }
        if (CellValues.TryInstant(trimmed, out var at)) return at;
        v.Add(field, Expected);
        return null;
    }
}

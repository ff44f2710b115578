using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;

namespace Tandem.Server.CampaignReports;

/// <summary>
/// The days a report covers, both ends included (UTC): "from=2026-10-01&amp;to=2026-12-31" is the fourth quarter.
/// Without them, the current quarter up to today.
/// </summary>
internal sealed record ReportPeriod(DateOnly From, DateOnly To)
{
    public long FromMs => new DateTimeOffset(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>The instant just after the last day: the period is [FromMs, EndMs).</summary>
    public long EndMs => new DateTimeOffset(To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>The calendar months whose first day falls in the period: their costs are the period's costs.</summary>
    public IReadOnlyList<string> CostMonths()
    {
        var months = new List<string>();
        for (var m = new DateOnly(From.Year, From.Month, 1); m <= To; m = m.AddMonths(1))
            if (m >= From) months.Add(m.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        return months;
    }

    public string Query => $"from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}";

    public static ReportPeriod CurrentQuarter(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return new ReportPeriod(new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1), today);
    }

    public static (ReportPeriod? Period, ValidationProblem? Problem) Parse(string? from, string? to, DateTimeOffset now)
    {
        var fallback = CurrentQuarter(now);
        var v = new Validation();
        DateOnly? Day(string field, string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            v.Add(field, $"'{text}' is not a date; write it as 2026-10-01.");
            return null;
        }
        var f = Day("from", from) ?? fallback.From;
        var t = Day("to", to) ?? (string.IsNullOrWhiteSpace(from) ? fallback.To : f.AddMonths(3).AddDays(-1));
        if (v.IsValid && t < f) v.Add("to", "Must not be before from.");
        if (v.IsValid && t.DayNumber - f.DayNumber > 3 * 366) v.Add("to", "A report covers at most three years.");
        return v.IsValid ? (new ReportPeriod(f, t), null) : (null, v.ToProblem());
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Reports;

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

    /// <summary>Reads from and to as every report does (<see cref="PeriodBounds"/>); without them, the current quarter up to
    /// today, and with only from, the three months from it.</summary>
    public static (ReportPeriod? Period, ValidationProblem? Problem) Parse(string? from, string? to, DateTimeOffset now)
    {
        var fallback = CurrentQuarter(now);
        var v = new Validation();
        var start = PeriodBounds.Start(from, v);
        var end = PeriodBounds.End(to, v);
        var f = start is { } s ? DateOnly.FromDateTime(s.UtcDateTime) : fallback.From;
        // The period's last day is the one the excluded end follows (to=2026-12-31 gives the day after, so the 31st).
        var t = end is { } e ? DateOnly.FromDateTime(e.UtcDateTime.AddTicks(-1)) : start is null ? fallback.To : f.AddMonths(3).AddDays(-1);
        if (v.IsValid && t < f) v.Add("to", "Must not be before from.");
        if (v.IsValid && t.DayNumber - f.DayNumber > 3 * 366) v.Add("to", "A report covers at most three years.");
        return v.IsValid ? (new ReportPeriod(f, t), null) : (null, v.ToProblem());
    }
}

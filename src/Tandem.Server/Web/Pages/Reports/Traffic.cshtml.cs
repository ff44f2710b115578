using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Reports;
using Tandem.Server.Storage;
using Tandem.Server.Web.Reports;

namespace Tandem.Server.Web.Pages.Reports;

/// <summary>Visitors and sessions from tracked page views, anonymous and known, by channel: the top of the funnel.</summary>
internal sealed class TrafficModel(Database db, TimeProvider clock) : ReportPageModel(clock)
{
    public TrafficDto Traffic { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        ReadReport();
        Traffic = await db.ReadAsync(c => TrafficReport.ReadAsync(c, Report, Scope), ct);
    }

    /// <summary>table=channels (the default) or trend.</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? table, CancellationToken ct)
    {
        await OnGetAsync(ct);
        var t = Traffic;
        return table == "trend"
            ? Csv("traffic-trend", ["bucket_start", "sessions", "known_sessions", "visitors"],
                t.Trend.Starts.Select((s, i) => new object?[] { s, t.Trend.Sessions[i], t.Trend.KnownSessions[i], t.Trend.Visitors[i] }))
            : Csv("traffic-by-channel", ["channel", "sessions", "known_sessions", "anonymous_sessions", "visitors", "page_views"],
                t.Channels.Select(ch => new object?[] { ch.Channel, ch.Sessions, ch.KnownSessions, ch.AnonymousSessions, ch.Visitors, ch.PageViews }));
    }
}

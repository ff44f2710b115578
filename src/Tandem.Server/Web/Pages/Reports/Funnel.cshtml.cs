using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Reports;
using Tandem.Server.Storage;
using Tandem.Server.Web.Reports;

namespace Tandem.Server.Web.Pages.Reports;

/// <summary>The revenue-cycle funnel: steps, conversions, exits, the trend and a breakdown, each count a link to its people.</summary>
internal sealed class FunnelModel(Database db, TimeProvider clock) : ReportPageModel(clock)
{
    public FunnelDto Funnel { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        ReadReport();
        Funnel = await db.ReadAsync(c => FunnelReport.ReadAsync(c, Report, Scope), ct);
    }

    /// <summary>table=steps (the default), trend or groups.</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? table, CancellationToken ct)
    {
        await OnGetAsync(ct);
        var stages = Funnel.Steps.Select(s => s.Stage).Concat(Funnel.Exits.Select(e => e.Stage)).ToList();
        return table switch
        {
            "trend" => Csv("funnel-trend", ["bucket_start", .. stages],
                Funnel.Trend.Starts.Select((start, i) => new object?[] { start }.Concat(stages.Select(s => (object?)Funnel.Trend.Counts[s][i])))),
            "groups" => Csv("funnel-by-" + (Funnel.By ?? "nothing"), ["group", "key", .. stages, "lead_to_sql", "lead_to_customer"],
                Funnel.Groups.Select(g => new object?[] { g.Label, g.Key }.Concat(stages.Select(s => (object?)g.Counts[s])).Concat([g.LeadToSql, g.LeadToCustomer]))),
            _ => Csv("funnel", ["stage", "count", "from_previous", "from_first"],
                Funnel.Steps.Select(s => new object?[] { s.Stage, s.Count, s.FromPrevious, s.FromFirst })
                    .Concat(Funnel.Exits.Select(e => new object?[] { e.Stage, e.Count, null, e.OfFirst }))),
        };
    }
}

using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Reports;
using Tandem.Server.Storage;
using Tandem.Server.Web.Reports;

namespace Tandem.Server.Web.Pages.Reports;

/// <summary>How fast leads move between stages, how long they have been waiting, and the slowest of them.</summary>
internal sealed class VelocityModel(Database db, TimeProvider clock) : ReportPageModel(clock)
{
    public VelocityDto Velocity { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        ReadReport();
        Velocity = await db.ReadAsync(c => VelocityReport.ReadAsync(c, Report, Scope, Now), ct);
    }

    /// <summary>table=intervals (the default), groups, stages or slowest.</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? table, CancellationToken ct)
    {
        await OnGetAsync(ct);
        var v = Velocity;
        return table switch
        {
            "groups" => Csv("velocity-by-" + (v.By ?? "nothing"), ["group", "key", "from", "to", "people", "median_days", "p90_days"],
                v.Groups.SelectMany(g => g.Intervals.Select(i => new object?[] { g.Label, g.Key, i.From, i.To, i.People, i.MedianDays, i.P90Days }))),
            "stages" => Csv("time-in-stage", ["stage", "people", "median_days", "p90_days"],
                v.InStageNow.Select(s => new object?[] { s.Stage, s.People, s.MedianDays, s.P90Days })),
            "slowest" => Csv("slowest-leads", ["id", "name", "company", "stage", "since", "days", "owner"],
                v.Slowest.Select(s => new object?[] { s.Id, s.Name, s.Company, s.Stage, s.Since, s.Days, s.Owner })),
            _ => Csv("velocity", ["from", "to", "people", "median_days", "p90_days"],
                v.Intervals.Select(i => new object?[] { i.From, i.To, i.People, i.MedianDays, i.P90Days })),
        };
    }
}

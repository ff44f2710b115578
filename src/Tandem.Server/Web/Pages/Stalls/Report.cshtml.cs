using System.Text;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Stall;
using Tandem.Server.Storage;

namespace Tandem.Server.Web.Pages.Stalls;

/// <summary>The revival report in the web app: the same figures as /api/v1/stalls/report, with a chart and a CSV download.</summary>
internal sealed class ReportModel(Database db, TimeProvider clock) : TandemPageModel
{
    public RevivalReport.ReportDto Report { get; private set; } = null!;
    public int Days { get; private set; } = 90;

    public async Task<IActionResult> OnGetAsync([FromQuery] string? by, [FromQuery] int? days, CancellationToken ct)
    {
        if (!IndexModel.MayView(Me)) return new ViewResult { ViewName = "NoAccess", StatusCode = 403 };
        Report = await BuildAsync(by, days, ct);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync([FromQuery] string? by, [FromQuery] int? days, CancellationToken ct)
    {
        if (!IndexModel.MayView(Me)) return new ViewResult { ViewName = "NoAccess", StatusCode = 403 };
        var report = await BuildAsync(by, days, ct);
        return File(Encoding.UTF8.GetBytes(RevivalReport.Csv(report)), "text/csv; charset=utf-8", $"revival-by-{report.By}.csv");
    }

    private Task<RevivalReport.ReportDto> BuildAsync(string? by, int? days, CancellationToken ct)
    {
        Days = days is >= 1 and <= 730 ? days.Value : 90;
        var to = clock.GetUtcNow();
        var grouping = by is not null && RevivalReport.Groupings.Contains(by) ? by : "rule";
        return db.ReadAsync(c => RevivalReport.BuildAsync(c, to.AddDays(-Days), to.AddMinutes(1), grouping), ct);
    }
}

using Tandem.Server.Reports;
using Tandem.Server.Storage;
using Tandem.Server.Web.Reports;

namespace Tandem.Server.Web.Pages.Reports;

/// <summary>The Reports section's front page: the last 90 days' funnel at a glance, and a door to each report.</summary>
internal sealed class IndexModel(Database db, TimeProvider clock) : ReportPageModel(clock)
{
    public FunnelDto Funnel { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        ReadReport();
        Funnel = await db.ReadAsync(c => FunnelReport.ReadAsync(c, Report, Scope), ct);
    }
}

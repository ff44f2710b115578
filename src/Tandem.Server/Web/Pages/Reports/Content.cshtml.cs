using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Export;
using Tandem.Server.CampaignReports;
using Tandem.Server.Content;
using Tandem.Server.Storage;
using Tandem.Server.Web.Campaigns;

namespace Tandem.Server.Web.Pages.Reports;

/// <summary>What sales uses, what marketing makes, what moves deals: the content report over a period, scoped to the user's leads.</summary>
internal sealed class ContentModel(Database db, TimeProvider clock) : TandemPageModel
{
    public ReportFilters Filters { get; private set; } = null!;
    public ContentReport.ReportDto Report { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Filters = ReportFilters.From(Request, clock.GetUtcNow());
        Report = await db.ReadAsync(c => ContentReport.ReadAsync(c, Filters.Period, Scope), ct);
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        await OnGetAsync(ct);
        return CsvTable.File($"content-{Filters.Period.From:yyyy-MM-dd}-{Filters.Period.To:yyyy-MM-dd}.csv",
            ["asset_id", "title", "type", "owner_team", "views", "downloads", "viewers", "sales_shares", "shared_by", "influenced_sqls", "influenced_customers",
                "influenced_revenue"],
            Report.Assets.Select(a => (IReadOnlyList<object?>)[a.AssetId, a.Title, a.Type, a.OwnerTeam, a.Views, a.Downloads, a.Viewers, a.SalesShares, a.SharedBy,
                a.InfluencedSqls, a.InfluencedCustomers, a.InfluencedRevenue]));
    }
}

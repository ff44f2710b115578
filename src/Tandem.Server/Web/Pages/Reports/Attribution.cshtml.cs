using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tandem.Domain.Reporting;
using Tandem.Server.Export;
using Tandem.Server.CampaignReports;
using Tandem.Server.Storage;
using Tandem.Server.Web.Campaigns;

namespace Tandem.Server.Web.Pages.Reports;

/// <summary>
/// Attribution: credited outcomes, pipeline, revenue, costs and ROI per campaign or channel, with the model switchable.
/// A rep sees the credit of their own leads, a manager their teams'; costs and ROI only whoever sees every lead.
/// </summary>
internal sealed class AttributionModel(Database db, TimeProvider clock) : TandemPageModel
{
    public ReportFilters Filters { get; private set; } = null!;
    public AttributionReport.ReportDto Report { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Filters = ReportFilters.From(Request, clock.GetUtcNow());
        Report = await db.ReadAsync(c => AttributionReport.ReadAsync(c, Filters.Period, Filters.Model, Filters.By, Scope), ct);
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        await OnGetAsync(ct);
        return CsvTable.File($"attribution-{Filters.Model.Slug()}-by-{Filters.By}-{Filters.Period.From:yyyy-MM-dd}-{Filters.Period.To:yyyy-MM-dd}.csv",
            [Filters.By, "channel", "leads", "mqls", "sqls", "opportunities", "customers", "pipeline", "revenue", "cost", "cost_per_lead", "cost_per_mql",
                "cost_per_sql", "cost_per_customer", "roi"],
            Report.Rows.Append(Report.Total).Select(r => (IReadOnlyList<object?>)[r.Name, r.Channel, r.Leads, r.Mqls, r.Sqls, r.Opportunities, r.Customers,
                r.Pipeline, r.Revenue, r.Cost, r.CostPerLead, r.CostPerMql, r.CostPerSql, r.CostPerCustomer, r.Roi]));
    }

    /// <summary>The drill-down behind one figure of one row.</summary>
    public string Drill(AttributionReport.RowDto row, string outcome) =>
        $"/reports/attribution/credits?{Filters.Query}&outcome={outcome}" +
        (row.Key == "all" ? "" : Filters.By == "channel" ? $"&channel={Uri.EscapeDataString(row.Key)}" : $"&campaign={row.CampaignId ?? 0}");
}

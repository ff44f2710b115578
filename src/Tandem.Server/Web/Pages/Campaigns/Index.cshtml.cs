using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tandem.Domain.Reporting;
using Tandem.Server.Export;
using Tandem.Server.CampaignReports;
using Tandem.Server.Campaigns;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Campaigns;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Campaigns;

/// <summary>
/// Every campaign with what it cost and what it brought in the period under the chosen model; marketing and admins
/// create them here. The page calls the campaigns API's own handlers, so it refuses exactly what the API refuses.
/// </summary>
internal sealed class IndexModel(Database db, TimeProvider clock) : TandemPageModel
{
    public ReportFilters Filters { get; private set; } = null!;
    public CampaignsReport.ReportDto Report { get; private set; } = null!;
    public bool CanEdit => Me.Role is Roles.Admin or Roles.Marketing;
    public FormOutcome Outcome { get; private set; } = FormOutcome.Done;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Filters = ReportFilters.From(Request, clock.GetUtcNow());
        Report = await db.ReadAsync(c => CampaignsReport.ReadAsync(c, Filters.Period, Filters.Model, Scope), ct);
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        await OnGetAsync(ct);
        return CsvTable.File($"campaigns-{Filters.Model.Slug()}-{Filters.Period.From:yyyy-MM-dd}-{Filters.Period.To:yyyy-MM-dd}.csv",
            ["id", "campaign", "channel", "status", "utm_campaign", "starts_on", "ends_on", "budget", "members", "cost", "leads", "mqls", "sqls", "opportunities",
                "customers", "pipeline", "revenue", "cost_per_lead", "cost_per_mql", "cost_per_sql", "cost_per_customer", "roi"],
            Report.Campaigns.Select(r => (IReadOnlyList<object?>)[r.Campaign.Id, r.Campaign.Name, r.Campaign.Channel, r.Campaign.Status, r.Campaign.UtmCampaign,
                r.Campaign.StartsOn, r.Campaign.EndsOn, r.Campaign.Budget, r.Campaign.Members, r.Figures.Cost, r.Figures.Leads, r.Figures.Mqls, r.Figures.Sqls,
                r.Figures.Opportunities, r.Figures.Customers, r.Figures.Pipeline, r.Figures.Revenue, r.Figures.CostPerLead, r.Figures.CostPerMql, r.Figures.CostPerSql,
                r.Figures.CostPerCustomer, r.Figures.Roi]));
    }

    public async Task<IActionResult> OnPostCreateAsync([FromForm] string? name, [FromForm] string? channel, [FromForm] string? utmCampaign,
        [FromForm] decimal? budget, CancellationToken ct)
    {
        if (!CanEdit) return new ViewResult { ViewName = "NoAccess", StatusCode = 403 };
        var result = await SaveCampaign.Create(new SaveCampaign.Request(name, channel, null, utmCampaign, null, null, null, null, budget, null), db, clock, ct);
        if (result.Result is Created<CampaignDto> created)
        {
            Tell($"Created “{created.Value!.Name}”. Add its costs per month and its members here.");
            return Redirect($"/campaigns/{created.Value.Id}");
        }
        Outcome = FormOutcome.Of(result.Result);
        await OnGetAsync(ct);
        Response.StatusCode = 422;
        return Page();
    }
}

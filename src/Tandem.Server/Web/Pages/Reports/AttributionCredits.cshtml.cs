using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tandem.Domain.Reporting;
using Tandem.Server.Export;
using Tandem.Server.CampaignReports;
using Tandem.Server.Storage;
using Tandem.Server.Web.Campaigns;

namespace Tandem.Server.Web.Pages.Reports;

/// <summary>The people behind one attribution figure, each with their outcome, its instant and the share credited.</summary>
internal sealed class AttributionCreditsModel(Database db, TimeProvider clock) : TandemPageModel
{
    public ReportFilters Filters { get; private set; } = null!;
    public AttributionEndpoints.CreditsDto Credits { get; private set; } = null!;
    public string Subject { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync([FromQuery] string? outcome, [FromQuery] long? campaign, [FromQuery] string? channel, CancellationToken ct)
    {
        Filters = ReportFilters.From(Request, clock.GetUtcNow());
        if (!AttributionEndpoints.TryOutcome(outcome, out var kind)) return NotFoundPage();
        Credits = await db.ReadAsync(c => AttributionEndpoints.ReadCreditsAsync(c, Filters.Period, Filters.Model, kind, campaign, channel, Scope), ct);
        Subject = campaign switch
        {
            0 => "no campaign",
            { } id => await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>("SELECT name FROM campaigns WHERE id = @id", new { id }), ct) ?? $"campaign {id}",
            _ => channel ?? "every campaign",
        };
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync([FromQuery] string? outcome, [FromQuery] long? campaign, [FromQuery] string? channel, CancellationToken ct)
    {
        if (await OnGetAsync(outcome, campaign, channel, ct) is not PageResult) return NotFoundPage();
        return CsvTable.File($"attribution-{Credits.Outcome}-{Filters.Model.Slug()}.csv",
            ["person_id", "email", "name", "outcome", "reached_at", "share", "amount"],
            Credits.Credits.Select(x => (IReadOnlyList<object?>)[x.PersonId, x.Email, x.Name, x.Outcome, x.At, x.Share, x.Amount]));
    }
}

using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Tandem.Domain.Reporting;
using Tandem.Server.CampaignReports;
using Tandem.Server.Campaigns;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Campaigns;

/// <summary>
/// One campaign: its settings, its actual costs per month (entered, or imported from a CSV file whose bad lines are named
/// by number), its members and their status, and what it brought this quarter. Members are listed as the people lists
/// are: a rep sees their own leads among them, a manager their teams'.
/// </summary>
internal sealed class CampaignModel(Database db, TimeProvider clock) : TandemPageModel
{
    public CampaignDto Campaign { get; private set; } = null!;
    public IReadOnlyList<CampaignCosts.CostDto> Costs { get; private set; } = [];
    public IReadOnlyList<Member> Members { get; private set; } = [];
    public AttributionReport.RowDto? Figures { get; private set; }
    public ReportPeriod Quarter { get; private set; } = null!;
    public bool CostsShown => Scope.SeesEveryone;
    public bool CanEdit => Me.Role is Roles.Admin or Roles.Marketing;
    public FormOutcome Outcome { get; private set; } = FormOutcome.Done;
    public string? FailedForm { get; private set; }

    public sealed record Member(long PersonId, string? Email, string? FirstName, string? LastName, string Stage, string Status, long UpdatedAt)
    {
        public string Label => string.Join(' ', new[] { FirstName, LastName }.Where(n => !string.IsNullOrEmpty(n))) is { Length: > 0 } n ? n : Email ?? $"Person {PersonId}";
    }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFoundPage();

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        Quarter = ReportPeriod.CurrentQuarter(clock.GetUtcNow());
        return await db.ReadAsync(async c =>
        {
            if (await CampaignRow.FindAsync(c, null, id) is not { } row) return false;
            Campaign = row.ToDto();
            Costs = await CampaignCosts.ForCampaignAsync(c, id);
            var args = new DynamicParameters(new { id });
            Scope.AddTo(args);
            Members = (await c.QueryAsync<Member>(
                "SELECT m.person_id AS PersonId, p.email, p.first_name AS FirstName, p.last_name AS LastName, p.stage, m.status, m.updated_at AS UpdatedAt " +
                $"FROM campaign_members m JOIN people p ON p.id = m.person_id WHERE m.campaign_id = @id AND p.merged_into_id IS NULL AND p.erased_at IS NULL AND {Scope.Condition} " +
                "ORDER BY m.updated_at DESC, m.person_id LIMIT 500", args)).ToList();
            Figures = (await AttributionReport.ReadAsync(c, Quarter, CreditModel.WShaped, "campaign", Scope)).Rows.FirstOrDefault(r => r.CampaignId == id);
            return true;
        }, ct);
    }

    private async Task<IActionResult> AfterAsync(long id, IResult result, string form, string done, CancellationToken ct)
    {
        var outcome = FormOutcome.Of(result);
        if (outcome.Succeeded) { Tell(done); return Redirect($"/campaigns/{id}"); }
        if (outcome.NotFound && !await LoadAsync(id, ct)) return NotFoundPage();
        if (Campaign is null && !await LoadAsync(id, ct)) return NotFoundPage();
        Outcome = outcome;
        FailedForm = form;
        Response.StatusCode = 422;
        return Page();
    }

    private IActionResult? Refuse() => CanEdit ? null : new ViewResult { ViewName = "NoAccess", StatusCode = 403 };

    public async Task<IActionResult> OnPostSaveAsync(long id, [FromForm] string? name, [FromForm] string? channel, [FromForm] string? status,
        [FromForm] string? utmCampaign, [FromForm] string? utmSource, [FromForm] string? utmMedium, [FromForm] DateOnly? startsOn, [FromForm] DateOnly? endsOn,
        [FromForm] decimal? budget, CancellationToken ct)
    {
        if (Refuse() is { } no) return no;
        var result = await SaveCampaign.Update(id, new SaveCampaign.Request(name, channel, status, utmCampaign, utmSource, utmMedium, startsOn, endsOn, budget, null),
            db, clock, ct);
        return await AfterAsync(id, result.Result, "save", "Saved the campaign.", ct);
    }

    public async Task<IActionResult> OnPostCostAsync(long id, [FromForm] string? month, [FromForm] decimal? amount, CancellationToken ct)
    {
        if (Refuse() is { } no) return no;
        if (string.IsNullOrWhiteSpace(month)) return await AfterAsync(id, Hosting.Problems.Field("month", "Choose a month."), "cost", "", ct);
        var result = await CampaignCosts.Set(id, month, new CampaignCosts.AmountRequest(amount), db, clock, ct);
        return await AfterAsync(id, result.Result, "cost", $"Saved the cost of {month}.", ct);
    }

    public async Task<IActionResult> OnPostRemoveCostAsync(long id, [FromForm] string month, CancellationToken ct)
    {
        if (Refuse() is { } no) return no;
        return await AfterAsync(id, (await CampaignCosts.Remove(id, month, db, ct)).Result, "cost", $"Removed the cost of {month}.", ct);
    }

    public async Task<IActionResult> OnPostImportAsync(long id, IFormFile? file, [FromForm] string? csv, CancellationToken ct)
    {
        if (Refuse() is { } no) return no;
        var text = file is { Length: > 0 } ? await new StreamReader(file.OpenReadStream()).ReadToEndAsync(ct) : csv ?? "";
        var result = await CampaignCosts.Import(id, text, db, clock, ct);
        var count = result.Result is Ok<CampaignCosts.ImportedDto> ok ? ok.Value!.Imported : 0;
        return await AfterAsync(id, result.Result, "import", $"Imported {count} month{(count == 1 ? "" : "s")} of costs.", ct);
    }

    public async Task<IActionResult> OnPostAddMemberAsync(long id, [FromForm] string? email, [FromForm] string? status, CancellationToken ct)
    {
        if (Refuse() is { } no) return no;
        var result = await CampaignMembers.Add(id, new CampaignMembers.AddRequest(null, email, status), db, clock, ct);
        return await AfterAsync(id, result.Result, "member", $"Added {email} to the campaign.", ct);
    }

    public async Task<IActionResult> OnPostMemberStatusAsync(long id, [FromForm] long personId, [FromForm] string? status, CancellationToken ct)
    {
        if (Refuse() is { } no) return no;
        var result = await CampaignMembers.SetStatus(id, personId, new CampaignMembers.StatusRequest(status), db, clock, ct);
        return await AfterAsync(id, result.Result, "members", "Changed the member's status.", ct);
    }
}

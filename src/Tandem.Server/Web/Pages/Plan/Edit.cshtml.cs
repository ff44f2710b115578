using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Planning;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Planning;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Plan;

/// <summary>/plan/edit/new and /plan/edit/{id}: a plan's inputs, saved through the API's use case (so refused for the same reasons).</summary>
internal sealed class EditModel(Database db, TimeProvider clock, PlanningOptions options) : TandemPageModel
{
    [BindProperty] public PlanForm Form { get; set; } = new();

    public long? PlanId { get; private set; }
    public FormOutcome Outcome { get; private set; } = FormOutcome.Done;
    public IReadOnlyList<(long Id, string Name)> Teams { get; private set; } = [];

    public bool CanEdit => Me.Role is Roles.Admin or Roles.Marketing or Roles.SalesManager;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (!CanEdit) return new ViewResult { ViewName = "NoAccess", StatusCode = 403 };
        if (!ReadId(id)) return NotFoundPage();
        await LoadTeamsAsync(ct);
        if (PlanId is { } existing)
        {
            if (await db.ReadAsync(c => PlanStore.GetAsync(c, existing), ct) is not { } row) return NotFoundPage();
            Form = PlanForm.From(row.Request);
        }
        else
        {
            // A new plan starts as the current quarter's.
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var quarter = Tandem.Domain.Planning.PlanPeriod.Containing(Tandem.Domain.Planning.PeriodKind.Quarter, today);
            Form = new PlanForm { Name = quarter.Label, Start = quarter.Start.ToString("yyyy-MM-dd"), MarketingSharePercent = "60" }.Padded();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        if (!CanEdit) return new ViewResult { ViewName = "NoAccess", StatusCode = 403 };
        if (!ReadId(id)) return NotFoundPage();
        var request = Form.ToRequest();
        var outcome = Form.Unreadable.Count > 0
            ? new FormOutcome(false, Form.Unreadable, false)
            : FormOutcome.Of(PlanId is { } existing
                ? await ManagePlans.Replace(existing, request, HttpContext, db, clock, options, ct)
                : await ManagePlans.Create(request, HttpContext, db, clock, options, ct));
        if (outcome.NotFound) return NotFoundPage();
        if (outcome.Succeeded)
        {
            var saved = await db.ReadAsync(c => PlanStore.ListAsync(c), ct);
            var plan = saved.First(p => string.Equals(p.Name, request.Name?.Trim(), StringComparison.OrdinalIgnoreCase));
            Tell($"Saved the plan '{plan.Name}'.");
            return Redirect($"/plan?id={plan.Id}");
        }
        Outcome = outcome;
        Form.Padded();
        await LoadTeamsAsync(ct);
        Response.StatusCode = 422;
        return Page();
    }

    /// <summary>The errors of a field and the fields under it ("channels" also shows "channels[0].share").</summary>
    public string? ErrorAt(string field)
    {
        var found = Outcome.Errors.Where(e => e.Key == field || e.Key.StartsWith(field + ".", StringComparison.Ordinal) || e.Key.StartsWith(field + "[", StringComparison.Ordinal))
            .Select(e => e.Value).Distinct().ToList();
        return found.Count == 0 ? null : string.Join(" ", found);
    }

    private async Task LoadTeamsAsync(CancellationToken ct) =>
        Teams = (await db.ReadAsync(c => Dapper.SqlMapper.QueryAsync<(long, string)>(c, "SELECT id, name FROM teams ORDER BY name"), ct)).ToList();

    private bool ReadId(string id)
    {
        PlanId = null;
        if (id == "new") return true;
        if (!long.TryParse(id, out var n) || n <= 0) return false;
        PlanId = n;
        return true;
    }
}

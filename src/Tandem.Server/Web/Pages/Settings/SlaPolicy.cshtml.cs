using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Lifecycle;
using Tandem.Server.Sla;
using Tandem.Server.Storage;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Settings;

/// <summary>/settings/sla/policies/new and /settings/sla/policies/{id}: one sales policy, saved through the same use case as the API.</summary>
internal sealed class SlaPolicyModel(Database db, ReasonCatalog reasons, TimeProvider clock) : SlaSettingsPageModel
{
    [BindProperty] public SlaPolicyForm Form { get; set; } = new();

    public long? PolicyId { get; private set; }
    public IReadOnlyList<CalendarDto> Calendars { get; private set; } = [];
    public IReadOnlyList<(long Id, string Name)> Teams { get; private set; } = [];

    /// <summary>Every reason a lead can be given up with, for the attempts minimum's checkboxes.</summary>
    public IReadOnlyList<string> GivingUpCodes => [.. ManagePolicies.GivingUpCodes(reasons).Order(StringComparer.Ordinal)];

    /// <summary>The fields the form shows errors beside; anything else is said at the top.</summary>
    public static readonly string[] Fields =
        ["name", "stage", "priority", "calendarId", "firstTouch", "decision", "attempts", "reminderPercents", "segment.grades", "segment.sources", "segment.teamIds"];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (!TryReadId(id, out var policyId)) return NotFoundPage();
        await LoadAsync(ct);
        if (policyId is { } existing)
        {
            if ((await ManagePolicies.Get(existing, db, ct)).Result is not Ok<PolicyDto> found) return NotFoundPage();
            Form = SlaPolicyForm.From(found.Value!);
        }
        else (Form.CalendarId, Form.GivingUpReasons) = (Calendars.FirstOrDefault()?.Id, [.. Tandem.Domain.Sla.AttemptsRule.DefaultGivingUpReasons]);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        if (!TryReadId(id, out var policyId)) return NotFoundPage();
        var request = Form.ToRequest();
        var outcome = FormOutcome.Of(policyId is { } existing
            ? await ManagePolicies.Replace(existing, request, db, reasons, clock, ct)
            : await ManagePolicies.Create(request, db, reasons, clock, ct));
        if (outcome.NotFound) return NotFoundPage();
        if (outcome.Succeeded)
        {
            Tell(policyId is null ? $"Created the policy '{request.Name?.Trim()}'." : $"Saved the policy '{request.Name?.Trim()}'; it applies to leads assigned from now on.");
            return Redirect("/settings/sla");
        }
        await LoadAsync(ct);
        return Refused(outcome);
    }

    private bool TryReadId(string id, out long? policyId)
    {
        var ok = ReadEditId(id, out policyId);
        PolicyId = policyId;
        return ok;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Calendars = (await ManageCalendars.List(db, ct)).Value!;
        Teams = (await db.ReadAsync(c => c.QueryAsync<(long Id, string Name)>("SELECT id, name FROM teams ORDER BY name"), ct)).ToList();
    }
}

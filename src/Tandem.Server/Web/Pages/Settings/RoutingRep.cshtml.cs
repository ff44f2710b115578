using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Routing;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Settings;

/// <summary>
/// One rep as routing sees them. Admins set active, time zone, working hours, capacity, daily quota and weight; the rep,
/// their team's manager and admins record time off, entered on the rep's own wall clock.
/// </summary>
internal sealed class RoutingRepModel(Database db, TimeProvider clock) : SettingsPageModel
{
    [FromRoute] public long UserId { get; set; }
    [BindProperty] public RepForm Form { get; set; } = new();
    [BindProperty] public TimeOffForm TimeOff { get; set; } = new();
    public RepEndpoints.RepDto Rep { get; private set; } = null!;
    public TimeZoneInfo Zone => Zones.FindOrUtc(Rep.TimeZone);
    public bool MayManageTimeOff { get; private set; }

    /// <summary>Which form the errors belong to: "settings" or "timeOff".</summary>
    public string? RefusedForm { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFoundPage();
        Form = RepForm.From(Rep);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        if (!await LoadAsync(ct)) return NotFoundPage();
        var (input, outcome) = Form.ToInput();
        if (input is not null) outcome = FormOutcome.Of(await RepEndpoints.ReplaceSettings(UserId, input, db, clock, ct));
        if (outcome.Succeeded) { Tell($"Saved {Rep.Name}'s routing settings."); return Redirect($"/settings/routing/reps/{UserId}"); }
        RefusedForm = "settings";
        return Refused(outcome);
    }

    public async Task<IActionResult> OnPostAddTimeOffAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFoundPage();
        if (!MayManageTimeOff) return NoAccess();
        Form = RepForm.From(Rep);
        var (input, outcome) = TimeOff.ToInput(Zone);
        if (input is not null) outcome = FormOutcome.Of(await RepEndpoints.AddTimeOff(UserId, input, db, clock, ct));
        if (outcome.Succeeded) { Tell($"Recorded time off for {Rep.Name}."); return Redirect($"/settings/routing/reps/{UserId}"); }
        RefusedForm = "timeOff";
        return Refused(outcome);
    }

    public async Task<IActionResult> OnPostRemoveTimeOffAsync([FromForm] long timeOffId, CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFoundPage();
        if (!MayManageTimeOff) return NoAccess();
        var outcome = FormOutcome.Of(await RepEndpoints.RemoveTimeOff(UserId, timeOffId, db, ct));
        if (outcome.NotFound) return NotFoundPage();
        Tell($"Removed the time off from {Rep.Name}'s calendar.");
        return Redirect($"/settings/routing/reps/{UserId}");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var rep = (await RepEndpoints.List(db, clock, ct)).Value!.FirstOrDefault(r => r.UserId == UserId);
        if (rep is null) return false;
        Rep = rep;
        var managed = Me.Role == Roles.SalesManager ? await db.ReadAsync(c => TimeOffAccess.MembersManagedByAsync(c, Me.Id), ct) : new HashSet<long>();
        MayManageTimeOff = TimeOffAccess.MayManage(Me.Role, Me.Id, UserId, managed);
        return true;
    }
}

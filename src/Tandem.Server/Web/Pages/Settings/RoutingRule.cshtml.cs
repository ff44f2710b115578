using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Routing;
using Tandem.Server.Storage;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Settings;

/// <summary>Adds or edits one routing rule (admins): name, team, method, working hours, active, and its conditions as rows.</summary>
internal sealed class RoutingRuleModel(Database db, TimeProvider clock) : SettingsPageModel
{
    /// <summary>"new", or the id of the rule being edited.</summary>
    [FromRoute] public string Id { get; set; } = "new";
    [BindProperty] public RuleForm Form { get; set; } = new();
    public IReadOnlyList<TeamEndpoints.TeamDto> Teams { get; private set; } = [];
    public long? RuleId => long.TryParse(Id, out var id) ? id : null;
    public bool IsNew => Id == "new";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        if (!IsNew && RuleId is null) return NotFoundPage();
        if (RuleId is { } id)
        {
            var rule = (await RuleEndpoints.List(db, ct)).Value!.FirstOrDefault(r => r.Id == id);
            if (rule is null) return NotFoundPage();
            Form = RuleForm.From(rule);
        }
        Form.WithBlankRows();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        if (!IsNew && RuleId is null) return NotFoundPage();
        var (input, rowOf) = Form.ToInput();
        var outcome = RuleForm.ForRows(FormOutcome.Of(RuleId is { } id
            ? await RuleEndpoints.Replace(id, input, db, clock, ct)
            : await RuleEndpoints.Create(input, db, clock, ct)), rowOf);
        if (outcome.Succeeded)
        {
            Tell(IsNew ? $"Added the rule '{Form.Name?.Trim()}'." : $"Saved the rule '{Form.Name?.Trim()}'.");
            return Redirect("/settings/routing");
        }
        if (outcome.NotFound) return NotFoundPage();
        // Keep every row as typed, blank ones included, so the errors line up with the rows the user sees.
        Form.Conditions.AddRange(Enumerable.Range(0, Math.Max(0, RuleForm.BlankRows - Form.Conditions.Count(r => r.IsBlank))).Select(_ => new RuleForm.ConditionRow()));
        await LoadAsync(ct);
        return Refused(outcome);
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        if (RuleId is not { } id) return NotFoundPage();
        var outcome = FormOutcome.Of(await RuleEndpoints.Delete(id, db, ct));
        if (outcome.NotFound) return NotFoundPage();
        Tell("Deleted the rule. Leads it matched go to the next rule that matches.");
        return Redirect("/settings/routing");
    }

    private async Task LoadAsync(CancellationToken ct) => Teams = (await TeamEndpoints.List(db, ct)).Value!;
}

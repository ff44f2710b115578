using Dapper;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Routing;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Settings;

/// <summary>
/// How leads are routed, for everyone to read: the rules in order (first match wins), the teams and their rotation,
/// each rep's availability and load, and the leads waiting for an owner. Admins reorder, switch and delete rules here.
/// </summary>
internal sealed class RoutingSettingsModel(Database db, TimeProvider clock) : SettingsPageModel
{
    public IReadOnlyList<RuleEndpoints.RuleDto> Rules { get; private set; } = [];
    public IReadOnlyList<TeamEndpoints.TeamDto> Teams { get; private set; } = [];
    public IReadOnlyList<RepEndpoints.RepDto> Reps { get; private set; } = [];
    public IReadOnlyList<UnassignedQueue.QueuedLeadDto> Queue { get; private set; } = [];
    public IReadOnlyDictionary<long, string> UserNames { get; private set; } = new Dictionary<long, string>();
    public IReadOnlySet<long> MembersIManage { get; private set; } = new HashSet<long>();
    public DateTimeOffset Now => clock.GetUtcNow();

    public string TeamName(long id) => Teams.FirstOrDefault(t => t.Id == id)?.Name ?? $"team {id}";
    public string UserName(long? id) => id is { } u ? UserNames.GetValueOrDefault(u, $"user {u}") : "—";
    public IEnumerable<string> TeamsOf(long userId) => Teams.Where(t => t.Members.Any(m => m.UserId == userId)).Select(t => t.Name);
    public bool MayManageTimeOff(long repId) => TimeOffAccess.MayManage(Me.Role, Me.Id, repId, MembersIManage);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>Moves a rule one place up or down: the rules are renumbered 10, 20, 30… in the new order, changing only those that moved.</summary>
    public async Task<IActionResult> OnPostMoveAsync([FromForm] long id, [FromForm] string? direction, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        var rules = (await RuleEndpoints.List(db, ct)).Value!.ToList();
        var index = rules.FindIndex(r => r.Id == id);
        if (index < 0) return NotFoundPage();
        var target = direction == "up" ? index - 1 : index + 1;
        if (target < 0 || target >= rules.Count) return Redirect("/settings/routing");
        (rules[index], rules[target]) = (rules[target], rules[index]);
        for (var i = 0; i < rules.Count; i++)
        {
            var position = (i + 1) * 10;
            if (rules[i].Position == position) continue;
            var form = RuleForm.From(rules[i]);
            form.Position = position;
            var outcome = FormOutcome.Of(await RuleEndpoints.Replace(rules[i].Id, form.ToInput().Input, db, clock, ct));
            if (!outcome.Succeeded) { Tell(outcome.Summary([]) ?? "The rule could not be moved.", error: true); return Redirect("/settings/routing"); }
        }
        Tell($"Moved '{rules[target].Name}' to position {target + 1}.");
        return Redirect("/settings/routing");
    }

    public async Task<IActionResult> OnPostActiveAsync([FromForm] long id, [FromForm] bool active, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        var rule = (await RuleEndpoints.List(db, ct)).Value!.FirstOrDefault(r => r.Id == id);
        if (rule is null) return NotFoundPage();
        var form = RuleForm.From(rule);
        form.Active = active;
        var outcome = FormOutcome.Of(await RuleEndpoints.Replace(id, form.ToInput().Input, db, clock, ct));
        if (outcome.Succeeded) Tell(active ? $"'{rule.Name}' is active: it routes leads again." : $"'{rule.Name}' is switched off: leads skip it.");
        else Tell(outcome.Summary([]) ?? "The rule could not be changed.", error: true);
        return Redirect("/settings/routing");
    }

    public async Task<IActionResult> OnPostDeleteAsync([FromForm] long id, CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        var outcome = FormOutcome.Of(await RuleEndpoints.Delete(id, db, ct));
        if (outcome.NotFound) return NotFoundPage();
        Tell("Deleted the rule. Leads it matched go to the next rule that matches.");
        return Redirect("/settings/routing");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Rules = (await RuleEndpoints.List(db, ct)).Value!;
        Teams = (await TeamEndpoints.List(db, ct)).Value!;
        Reps = (await RepEndpoints.List(db, clock, ct)).Value!;
        Queue = (await UnassignedQueue.List(db, ct)).Value!;
        UserNames = await db.ReadAsync(async c => (await c.QueryAsync<(long Id, string Name)>("SELECT id, name FROM users")).ToDictionary(u => u.Id, u => u.Name), ct);
        if (Me.Role == Roles.SalesManager) MembersIManage = await db.ReadAsync(c => TimeOffAccess.MembersManagedByAsync(c, Me.Id), ct);
    }
}

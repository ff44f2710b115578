using Dapper;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Routing;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Settings;

namespace Tandem.Server.Web.Pages.Settings;

/// <summary>Creates or edits a team (admins): its name, manager, fallback owner and members, chosen among active sales users.</summary>
internal sealed class RoutingTeamModel(Database db, TimeProvider clock) : SettingsPageModel
{
    public sealed class TeamForm
    {
        public string? Name { get; set; }
        public long? ManagerUserId { get; set; }
        public long? FallbackUserId { get; set; }
        public List<long> MemberUserIds { get; set; } = [];

        public TeamEndpoints.TeamInput ToInput() => new(Name, ManagerUserId, FallbackUserId, MemberUserIds);
    }

    public sealed record Person(long Id, string Name, string Role, bool Active);

    [FromRoute] public string Id { get; set; } = "new";
    [BindProperty] public TeamForm Form { get; set; } = new();

    /// <summary>Active sales users (who can be members), plus anyone already on the team so an edit never drops them unseen.</summary>
    public IReadOnlyList<Person> Candidates { get; private set; } = [];

    /// <summary>Active users who can manage a team or take its fallback leads.</summary>
    public IReadOnlyList<Person> Everyone { get; private set; } = [];

    public long? TeamId => long.TryParse(Id, out var id) ? id : null;
    public bool IsNew => Id == "new";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        if (!IsNew && TeamId is null) return NotFoundPage();
        if (TeamId is { } id)
        {
            var team = (await TeamEndpoints.List(db, ct)).Value!.FirstOrDefault(t => t.Id == id);
            if (team is null) return NotFoundPage();
            Form = new TeamForm { Name = team.Name, ManagerUserId = team.ManagerUserId, FallbackUserId = team.FallbackUserId,
                MemberUserIds = [.. team.Members.Select(m => m.UserId)] };
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanEdit) return NoAccess();
        if (!IsNew && TeamId is null) return NotFoundPage();
        var outcome = FormOutcome.Of(TeamId is { } id
            ? await TeamEndpoints.Replace(id, Form.ToInput(), db, clock, ct)
            : await TeamEndpoints.Create(Form.ToInput(), db, clock, ct));
        if (outcome.Succeeded)
        {
            Tell(IsNew ? $"Created the team '{Form.Name?.Trim()}'." : $"Saved the team '{Form.Name?.Trim()}'.");
            return Redirect("/settings/routing");
        }
        if (outcome.NotFound) return NotFoundPage();
        await LoadAsync(ct);
        return Refused(outcome);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var users = await db.ReadAsync(async c => (await c.QueryAsync<(long Id, string Name, string Role, long Active)>(
            "SELECT id, name, role, active FROM users ORDER BY name")).Select(u => new Person(u.Id, u.Name, u.Role, u.Active != 0)).ToList(), ct);
        Candidates = users.Where(u => (u.Active && u.Role is Roles.SalesRep or Roles.SalesManager) || Form.MemberUserIds.Contains(u.Id)).ToList();
        Everyone = users.Where(u => u.Active || u.Id == Form.ManagerUserId || u.Id == Form.FallbackUserId).ToList();
    }
}

using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Audit;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Pages.Admin;

/// <summary>Admins add the people who sign in, set their role, and deactivate them (which signs them out at once).</summary>
internal sealed class UsersModel(UserManager<UserRow> users, Database db, TimeProvider clock) : TandemPageModel
{
    public sealed record UserLine(UserRow User, string? Teams, long OpenLeads);

    public sealed record NewUser(string? Email, string? Name, string? Role, string? Password);

    public IReadOnlyList<UserLine> Users { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();
    [BindProperty] public NewUser Input { get; set; } = new(null, null, Roles.SalesRep, null);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var email = Input.Email?.Trim();
        if (string.IsNullOrEmpty(email) || !Tandem.Domain.Identity.EmailAddress.TryParse(email, out _)) errors["Email"] = "Enter a valid email address.";
        if (string.IsNullOrWhiteSpace(Input.Name) || Input.Name.Trim().Length > 100) errors["Name"] = "Enter the person's name (up to 100 characters).";
        if (Input.Role is null || !Roles.IsKnown(Input.Role)) errors["Role"] = "Choose a role.";
        if (errors.Count == 0 && UserAccounts.CheckPassword(Input.Password) is { } passwordProblem) errors["Password"] = passwordProblem;
        if (errors.Count == 0)
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var user = await db.WriteAsync(async (c, tx) =>
            {
                var created = await UserAccounts.CreateAsync(c, tx, email!, Input.Name!.Trim(), Input.Role!, Input.Password!, now);
                if (created is not null) await AuditLog.WriteAsync(c, tx, now, "user.created", created.Email, new { role = created.Role });
                return created;
            }, ct);
            if (user is not null)
            {
                Tell($"Added {user.Name} as {RoleNames.Of(user.Role)}. They can sign in now.");
                return Redirect("/admin/users");
            }
            errors["Email"] = "Someone already signs in with this email.";
        }
        Errors = errors;
        Response.StatusCode = 422;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRoleAsync([FromForm] long id, [FromForm] string? role, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null) return NotFoundPage();
        if (role is null || !Roles.IsKnown(role)) Tell("Choose a role.", error: true);
        else if (user.Id == Me.Id && role != Roles.Admin) Tell("You cannot take away your own admin role; ask another admin.", error: true);
        else
        {
            await ChangeAsync(user, "role = @role", new { role }, "user.role_changed", new { from = user.Role, to = role }, ct);
            Tell($"{user.Name} is now {RoleNames.Of(role)}.");
        }
        return Redirect("/admin/users");
    }

    public async Task<IActionResult> OnPostActiveAsync([FromForm] long id, [FromForm] bool active, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null) return NotFoundPage();
        if (user.Id == Me.Id) { Tell("You cannot deactivate yourself.", error: true); return Redirect("/admin/users"); }
        await ChangeAsync(user, active ? "active = 1, access_failed_count = 0, lockout_end = NULL" : "active = 0", new { },
            active ? "user.reactivated" : "user.deactivated", null, ct);
        Tell(active ? $"{user.Name} can sign in again." : $"{user.Name} is deactivated and signed out everywhere.");
        return Redirect("/admin/users");
    }

    /// <summary>
    /// Writes only the columns the change is about, with a new security stamp (which signs the user out, so their next
    /// sign-in carries the change), and its audit entry in the same transaction.
    /// </summary>
    private Task ChangeAsync(UserRow user, string set, object values, string action, object? detail, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var parameters = new DynamicParameters(values);
        parameters.AddDynamicParams(new { id = user.Id, stamp = Guid.NewGuid().ToString("N"), now });
        return db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync($"UPDATE users SET {set}, security_stamp = @stamp, updated_at = @now WHERE id = @id", parameters, tx);
            await AuditLog.WriteAsync(c, tx, now, action, user.Email, detail);
        }, ct);
    }

    private async Task LoadAsync(CancellationToken ct) => Users = await db.ReadAsync<IReadOnlyList<UserLine>>(async c =>
    {
        var rows = (await c.QueryAsync<UserRow>("SELECT * FROM users ORDER BY active DESC, name")).ToList();
        var teams = (await c.QueryAsync<(long UserId, string Name)>(
            "SELECT tm.user_id, t.name FROM team_members tm JOIN teams t ON t.id = tm.team_id ORDER BY t.name")).ToLookup(t => t.UserId, t => t.Name);
        var open = (await c.QueryAsync<(long OwnerId, long Count)>(
            "SELECT owner_id, COUNT(*) FROM people WHERE owner_id IS NOT NULL AND merged_into_id IS NULL AND erased_at IS NULL AND stage IN ('MQL', 'SAL') GROUP BY owner_id"))
            .ToDictionary(x => x.OwnerId, x => x.Count);
        return rows.Select(u => new UserLine(u, teams[u.Id].Any() ? string.Join(", ", teams[u.Id]) : null, open.GetValueOrDefault(u.Id))).ToList();
    }, ct);
}

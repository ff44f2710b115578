using System.Data.Common;
using Dapper;
using Tandem.Server.People;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Access;

/// <summary>
/// Which leads a signed-in user may see and act on, as one SQL condition over people aliased "p":
/// a rep their own leads; a manager the leads of their teams (owned by a team member or queued to the team)
/// and their own; marketing and admins everyone. Every page, export and action goes through it.
/// </summary>
internal sealed record LeadScope(string Role, long UserId)
{
    public static LeadScope For(UserRow user) => new(user.Role, user.Id);

    public bool SeesEveryone => Role is Roles.Admin or Roles.Marketing;

    /// <summary>The condition; its only parameter is @scopeUserId (see <see cref="AddTo"/>).</summary>
    public string Condition => Role switch
    {
        Roles.Admin or Roles.Marketing => "1 = 1",
        Roles.SalesManager =>
            "(p.owner_id = @scopeUserId" +
            " OR p.owner_id IN (SELECT tm.user_id FROM team_members tm JOIN teams t ON t.id = tm.team_id WHERE t.manager_user_id = @scopeUserId)" +
            " OR p.owner_team_id IN (SELECT t.id FROM teams t WHERE t.manager_user_id = @scopeUserId))",
        _ => "p.owner_id = @scopeUserId",
    };

    public void AddTo(DynamicParameters args) => args.Add("scopeUserId", UserId);

    /// <summary>The live person with this id when the user may see them; null otherwise (callers answer 404, never revealing the lead exists).</summary>
    public async Task<PersonRow?> FindAsync(DbConnection c, DbTransaction? tx, long personId)
    {
        var person = await PersonStore.FindLiveAsync(c, tx, personId);
        if (person is null) return null;
        var args = new DynamicParameters(new { id = person.Id });
        AddTo(args);
        var visible = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM people p WHERE p.id = @id AND {Condition}", args, tx);
        return visible > 0 ? person : null;
    }

    /// <summary>The users this user may hand leads to: active sales users (a manager: members of the teams they manage, and themselves).</summary>
    public async Task<IReadOnlyList<UserRow>> AssignableOwnersAsync(DbConnection c, DbTransaction? tx)
    {
        var sql = Role == Roles.SalesManager
            ? "SELECT * FROM users u WHERE u.active = 1 AND (u.id = @me OR u.id IN (SELECT tm.user_id FROM team_members tm JOIN teams t ON t.id = tm.team_id WHERE t.manager_user_id = @me)) ORDER BY u.name"
            : "SELECT * FROM users u WHERE u.active = 1 AND u.role IN ('sales_rep', 'sales_manager') ORDER BY u.name";
        return CanAssign ? (await c.QueryAsync<UserRow>(sql, new { me = UserId }, tx)).ToList() : [];
    }

    /// <summary>Reps work their own leads; handing leads to someone else is for managers, marketing ops and admins.</summary>
    public bool CanAssign => Role is Roles.Admin or Roles.Marketing or Roles.SalesManager;
}

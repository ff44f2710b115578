using System.Data.Common;
using Dapper;
using Tandem.Server.Users;

namespace Tandem.Server.Web.Settings;

/// <summary>
/// Who may record or remove a rep's time off: the rep themselves, a sales manager for the members of teams they manage,
/// and admins for anyone. Everyone else is refused (403), even by posting the form by hand.
/// </summary>
internal static class TimeOffAccess
{
    public static bool MayManage(string role, long me, long rep, IReadOnlySet<long> membersIManage) => role switch
    {
        Roles.Admin => true,
        _ when me == rep => true,
        Roles.SalesManager => membersIManage.Contains(rep),
        _ => false,
    };

    /// <summary>The users in teams that <paramref name="managerId"/> manages.</summary>
    public static async Task<IReadOnlySet<long>> MembersManagedByAsync(DbConnection c, long managerId) =>
        (await c.QueryAsync<long>(
            "SELECT m.user_id FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.manager_user_id = @managerId", new { managerId }))
        .ToHashSet();
}

using Dapper;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Web.Settings;

/// <summary>
/// The breach log as a signed-in user may see it, newest first: a rep the promises they broke, a manager those of their
/// teams (and their own), marketing and admins all. Scoped by who broke the promise, not by who owns the lead now, so a
/// rep still sees a breach after the lead was reassigned away from them.
/// </summary>
internal static class SlaBreachLog
{
    public sealed record Line(long Id, long PersonId, string Person, string Kind, string Policy, string Owner, string? Team,
        DateTimeOffset DueAt, DateTimeOffset BreachedAt, string Action, string? ReassignedTo);

    /// <summary>The condition over sla_breaches aliased "b"; its only parameter is @scopeUserId.</summary>
    public static string Condition(LeadScope scope) => scope.Role switch
    {
        Roles.Admin or Roles.Marketing => "1 = 1",
        Roles.SalesManager =>
            "(b.owner_user_id = @scopeUserId OR b.manager_user_id = @scopeUserId" +
            " OR b.team_id IN (SELECT t.id FROM teams t WHERE t.manager_user_id = @scopeUserId)" +
            " OR b.owner_user_id IN (SELECT tm.user_id FROM team_members tm JOIN teams t ON t.id = tm.team_id WHERE t.manager_user_id = @scopeUserId))",
        _ => "b.owner_user_id = @scopeUserId",
    };

    public static async Task<IReadOnlyList<Line>> RecentAsync(Database db, LeadScope scope, int take, CancellationToken ct)
    {
        var args = new DynamicParameters(new { take });
        scope.AddTo(args);
        var rows = await db.ReadAsync(c => c.QueryAsync<Row>(
            "SELECT b.id, b.person_id, b.kind, b.due_at, b.breached_at, b.action, p.first_name, p.last_name, p.email, " +
            "pol.name AS policy, u.name AS owner, t.name AS team, r.name AS reassigned_to " +
            "FROM sla_breaches b JOIN people p ON p.id = b.person_id JOIN sla_policies pol ON pol.id = b.policy_id " +
            "JOIN users u ON u.id = b.owner_user_id LEFT JOIN teams t ON t.id = b.team_id LEFT JOIN users r ON r.id = b.reassigned_to_user_id " +
            $"WHERE {Condition(scope)} ORDER BY b.breached_at DESC, b.id DESC LIMIT @take", args), ct);
        return rows.Select(r => new Line(r.Id, r.PersonId, PersonName(r), r.Kind, r.Policy, r.Owner, r.Team,
            DateTimeOffset.FromUnixTimeMilliseconds(r.DueAt), DateTimeOffset.FromUnixTimeMilliseconds(r.BreachedAt), r.Action, r.ReassignedTo)).ToList();
    }

    private static string PersonName(Row r) =>
        string.Join(" ", new[] { r.FirstName, r.LastName }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } n ? n : r.Email ?? $"Person #{r.PersonId}";

    private sealed class Row
    {
        public long Id { get; set; }
        public long PersonId { get; set; }
        public string Kind { get; set; } = "";
        public long DueAt { get; set; }
        public long BreachedAt { get; set; }
        public string Action { get; set; } = "";
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Email { get; set; }
        public string Policy { get; set; } = "";
        public string Owner { get; set; } = "";
        public string? Team { get; set; }
        public string? ReassignedTo { get; set; }
    }
}

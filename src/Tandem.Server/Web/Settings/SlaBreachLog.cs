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
    /// <param name="Why">What broke the promise, in words: the decision that gave the lead up early, how late it was kept, or nothing done by the due time.</param>
    public sealed record Line(long Id, long PersonId, string Person, string Kind, string Policy, string Owner, string? Team,
        DateTimeOffset DueAt, DateTimeOffset BreachedAt, string Action, string? ReassignedTo, string Why);

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
            "pol.name AS policy, u.name AS owner, t.name AS team, r.name AS reassigned_to, " +
            "k.stopped_at, k.attempts, k.attempts_required, " +
            // The decision that gave the lead up, for a breach recorded before its due time: the last move at or before it.
            "(SELECT sc.id FROM stage_changes sc WHERE sc.person_id = b.person_id AND sc.changed_at <= b.breached_at " +
            " ORDER BY sc.changed_at DESC, sc.id DESC LIMIT 1) AS cause_id " +
            "FROM sla_breaches b JOIN people p ON p.id = b.person_id JOIN sla_policies pol ON pol.id = b.policy_id " +
            "LEFT JOIN sla_clocks k ON k.id = b.clock_id " +
            "JOIN users u ON u.id = b.owner_user_id LEFT JOIN teams t ON t.id = b.team_id LEFT JOIN users r ON r.id = b.reassigned_to_user_id " +
            $"WHERE {Condition(scope)} ORDER BY b.breached_at DESC, b.id DESC LIMIT @take", args), ct);
        var causeIds = rows.Where(r => r.BreachedAt < r.DueAt && r.CauseId is not null).Select(r => r.CauseId!.Value).ToArray();
        var causes = causeIds.Length == 0 ? new Dictionary<long, Cause>() : (await db.ReadAsync(c =>
        {
            var (idsIn, ids) = SqlDialect.Of(c).InIdList("id", "@ids", causeIds);
            return c.QueryAsync<Cause>($"SELECT id, to_stage, reason_code, actor_name FROM stage_changes WHERE {idsIn}", new { ids });
        }, ct)).ToDictionary(x => x.Id);
        return rows.Select(r => new Line(r.Id, r.PersonId, PersonName(r), r.Kind, r.Policy, r.Owner, r.Team,
            DateTimeOffset.FromUnixTimeMilliseconds(r.DueAt), DateTimeOffset.FromUnixTimeMilliseconds(r.BreachedAt), r.Action, r.ReassignedTo,
            Why(r, r.CauseId is { } id && causes.TryGetValue(id, out var cause) ? cause : null))).ToList();
    }

    /// <summary>What broke the promise: given up before the minimum, kept late, or not kept by the due time.</summary>
    private static string Why(Row r, Cause? givenUp)
    {
        var promise = r.Kind switch { "first_touch" => "first touch", "decision" => "decision", _ => "attempts" };
        if (r.BreachedAt < r.DueAt && givenUp is not null)
            return $"{givenUp.ToStage}{(givenUp.ReasonCode is { } code ? " as " + Tandem.Domain.Lifecycle.ReasonCodes.Label(code) : "")}" +
                   $"{(givenUp.ActorName is { } by ? " by " + by : "")} after {r.Attempts} of {r.AttemptsRequired} attempts";
        if (r.StoppedAt is { } stopped && stopped > r.DueAt)
            return $"The {promise} came {Late(TimeSpan.FromMilliseconds(stopped - r.DueAt))} after the due time";
        return r.Kind == "attempts" ? $"Fewer than {r.AttemptsRequired} attempts ({r.Attempts}) by the due time" : $"No {promise} by the due time";
    }

    private static string Late(TimeSpan late) => late.TotalDays >= 1 ? $"{(int)late.TotalDays} d {late.Hours} h"
        : late.TotalHours >= 1 ? $"{(int)late.TotalHours} h {late.Minutes} min" : $"{Math.Max(1, (int)late.TotalMinutes)} min";

    private sealed class Cause
    {
        public long Id { get; set; }
        public string ToStage { get; set; } = "";
        public string? ReasonCode { get; set; }
        public string? ActorName { get; set; }
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
        public long? StoppedAt { get; set; }
        public long Attempts { get; set; }
        public long? AttemptsRequired { get; set; }
        public long? CauseId { get; set; }
    }
}

using System.Data.Common;
using Dapper;
using Tandem.Server.Web.Access;
using Tandem.Server.Web.People;

namespace Tandem.Server.Web.Inbox;

/// <summary>
/// A rep's open leads: owned by them (a manager: by their teams), waiting in MQL or SAL, most urgent first.
/// Urgency is the SLA: the lead whose next open clock (first touch, decision, attempts) falls due soonest comes
/// first — overdue ones at the top; leads without a running clock follow, longest waiting first.
/// </summary>
internal static class InboxQuery
{
    public sealed class InboxRow
    {
        public long Id { get; set; }
        public string? Email { get; set; }
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Company { get; set; }
        public string? Title { get; set; }
        public string Stage { get; set; } = "";
        public string? FitGrade { get; set; }
        public long? EngagementScore { get; set; }
        public long MeetsMql { get; set; }
        public string? ScoreCell { get; set; }
        public long? ScoreModelVersion { get; set; }
        public string? FirstTouchChannel { get; set; }
        public long? OwnerAssignedAt { get; set; }
        public string? OwnerName { get; set; }
        public long? LastTouchedAt { get; set; }
        public long? NextDueAt { get; set; }
        public string? NextDueKind { get; set; }
        public string? RevivalCause { get; set; }
        public string? StallStory { get; set; }

        public string DisplayName => $"{FirstName} {LastName}".Trim() is { Length: > 0 } n ? n : Email ?? $"Person {Id}";
    }

    /// <summary>How many open leads the inbox holds in all, when it lists only the most urgent.</summary>
    public static async Task<long> CountAsync(DbConnection c, LeadScope scope)
    {
        var args = new Dapper.DynamicParameters();
        scope.AddTo(args);
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(c,
            $"SELECT COUNT(*) FROM people p WHERE p.owner_id IS NOT NULL AND p.merged_into_id IS NULL AND p.erased_at IS NULL AND p.stage IN ('MQL', 'SAL') AND {scope.Condition}", args);
    }

    public static async Task<IReadOnlyList<InboxRow>> OpenLeadsAsync(DbConnection c, LeadScope scope, int limit = 200)
    {
        var args = new Dapper.DynamicParameters(new { limit, touch = Home.SharedNumbers.TouchTypes });
        scope.AddTo(args);
        var touched = Storage.Sql.In(c, "a.type", "@touch");
        var sql =
            "SELECT p.id, p.email, p.first_name, p.last_name, p.company, p.title, p.stage, p.fit_grade, p.engagement_score, p.first_touch_channel, " +
            "p.meets_mql, p.score_cell, p.score_model_version, " +
            "p.owner_assigned_at, u.name AS owner_name, " +
            $"(SELECT MAX(a.occurred_at) FROM activities a WHERE a.person_id = p.id AND {touched}) AS last_touched_at, " +
            "k.due_at AS next_due_at, k.kind AS next_due_kind, sr.revival_cause, sr.story AS stall_story " +
            "FROM people p JOIN users u ON u.id = p.owner_id " +
            // A lead that came back from a stall to this owner is flagged "revived", with the stall's story.
            "LEFT JOIN stall_records sr ON sr.id = (SELECT MAX(s2.id) FROM stall_records s2 WHERE s2.person_id = p.id AND s2.state = 'revived' " +
            "AND s2.revived_owner_id = p.owner_id) " +
            // The next open clock of the lead's current assignment (breached ones stay open until stopped: overdue).
            "LEFT JOIN sla_clocks k ON k.id = (SELECT k2.id FROM sla_clocks k2 WHERE k2.person_id = p.id AND k2.stopped_at IS NULL " +
            "AND k2.released_at IS NULL ORDER BY k2.due_at, k2.id LIMIT 1) " +
            $"WHERE p.merged_into_id IS NULL AND p.erased_at IS NULL AND p.stage IN ('MQL', 'SAL') AND {scope.Condition} " +
            "ORDER BY k.due_at IS NULL, k.due_at, p.owner_assigned_at IS NULL, p.owner_assigned_at, p.id LIMIT @limit";
        return (await c.QueryAsync<InboxRow>(sql, args)).ToList();
    }
}

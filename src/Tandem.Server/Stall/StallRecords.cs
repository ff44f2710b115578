using System.Data.Common;
using Dapper;

namespace Tandem.Server.Stall;

/// <summary>The states of a stall record.</summary>
internal static class StallState
{
    public const string Open = "open";
    public const string Acted = "acted";
    public const string Revived = "revived";
    public const string Closed = "closed";

    public static readonly IReadOnlyList<string> All = [Open, Acted, Revived, Closed];
}

/// <summary>A stall record as stored.</summary>
internal sealed class StallRecordRow
{
    public long Id { get; set; }
    public long PersonId { get; set; }
    public string RuleKey { get; set; } = "";
    public string RuleName { get; set; } = "";
    public long? RulesVersion { get; set; }
    public string Kind { get; set; } = "";
    public string Stage { get; set; } = "";
    public long StalledSince { get; set; }
    public long DetectedAt { get; set; }
    public long? OwnerId { get; set; }
    public string? OwnerName { get; set; }
    public long? TeamId { get; set; }
    public string? Source { get; set; }
    public long? LastTouchAt { get; set; }
    public long? LastLeadActivityAt { get; set; }
    public string Story { get; set; } = "";
    public string State { get; set; } = "";
    public long AwaitingRevival { get; set; }
    public long? ActedAt { get; set; }
    public string ActionsLog { get; set; } = "[]";
    public long? NewOwnerId { get; set; }
    public long? ProgramId { get; set; }
    public long? EnrollmentId { get; set; }
    public long? RevivedAt { get; set; }
    public string? RevivalKind { get; set; }
    public string? RevivalCause { get; set; }
    public long? RevivedOwnerId { get; set; }
    public long? ClosedAt { get; set; }
    public string? CloseReason { get; set; }
}

internal static class StallRecords
{
    public const string Insert =
        "INSERT INTO stall_records (person_id, rule_key, rule_name, rules_version, kind, stage, stalled_since, detected_at, owner_id, owner_name, team_id, " +
        "source, last_touch_at, last_lead_activity_at, story, state, awaiting_revival) VALUES (@PersonId, @RuleKey, @RuleName, @RulesVersion, @Kind, @Stage, " +
        "@StalledSince, @DetectedAt, @OwnerId, @OwnerName, @TeamId, @Source, @LastTouchAt, @LastLeadActivityAt, @Story, @State, @AwaitingRevival) " +
        "ON CONFLICT DO NOTHING";

    public static Task<StallRecordRow?> FindAsync(DbConnection c, DbTransaction? tx, long id) =>
        c.QuerySingleOrDefaultAsync<StallRecordRow>("SELECT * FROM stall_records WHERE id = @id", new { id }, tx);

    /// <summary>The person's records still waiting on something (open or acted), newest first.</summary>
    public static async Task<List<StallRecordRow>> LiveOfAsync(DbConnection c, DbTransaction? tx, long personId) =>
        (await c.QueryAsync<StallRecordRow>("SELECT * FROM stall_records WHERE person_id = @personId AND state IN ('open', 'acted') ORDER BY id DESC",
            new { personId }, tx)).ToList();

    public static Task<int> CloseAsync(DbConnection c, DbTransaction tx, long id, string reason, long now) =>
        c.ExecuteAsync("UPDATE stall_records SET state = 'closed', closed_at = @now, close_reason = @reason, claimed_by = NULL, claimed_until = NULL " +
                       "WHERE id = @id AND state IN ('open', 'acted')", new { id, reason, now }, tx);
}

using System.Data.Common;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Web.Inbox;

/// <summary>
/// A rep's open leads: owned by them (a manager: by their teams), waiting in MQL or SAL, most urgent first.
/// Urgency is the SLA: the lead whose next open clock (first touch, decision, attempts) falls due soonest comes
/// first — overdue ones at the top; leads without a running clock follow, longest waiting first. The list is read
/// a page at a time, filtered in SQL (<see cref="InboxFilter"/>), and its counts come from <see cref="InboxCounts"/>.
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

    /// <summary>
    /// The open leads in scope, with their next open clock (k) and the stall they came back from (sr) joined in.
    /// Breached clocks stay open until stopped, so an overdue lead keeps its clock here.
    /// </summary>
    internal const string OpenLeads =
        "FROM people p JOIN users u ON u.id = p.owner_id " +
        // A lead that came back from a stall to this owner is flagged "revived", with the stall's story.
        "LEFT JOIN stall_records sr ON sr.id = (SELECT MAX(s2.id) FROM stall_records s2 WHERE s2.person_id = p.id AND s2.state = 'revived' " +
        "AND s2.revived_owner_id = p.owner_id) " +
        "LEFT JOIN sla_clocks k ON k.id = (SELECT k2.id FROM sla_clocks k2 WHERE k2.person_id = p.id AND k2.stopped_at IS NULL " +
        "AND k2.released_at IS NULL ORDER BY k2.due_at, k2.id LIMIT 1) ";

    /// <summary>Open, live and in the user's scope: every inbox query starts here. Its only parameter is the scope's.</summary>
    internal static string InScope(LeadScope scope) =>
        $"p.merged_into_id IS NULL AND p.erased_at IS NULL AND p.stage IN ('MQL', 'SAL') AND {scope.Condition}";

    /// <summary>Every open lead in scope, for the home page's count: the same set the inbox pages through.</summary>
    public static async Task<long> CountAsync(DbConnection c, LeadScope scope)
    {
        var args = new DynamicParameters();
        scope.AddTo(args);
        return await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM people p JOIN users u ON u.id = p.owner_id WHERE {InScope(scope)}", args);
    }

    /// <summary>One page of the filtered inbox (<see cref="InboxFilter.Page"/>, <see cref="InboxFilter.PageSize"/> a page).</summary>
    /// <param name="now">Where "overdue" starts.</param>
    public static async Task<IReadOnlyList<InboxRow>> PageAsync(DbConnection c, LeadScope scope, InboxFilter filter, DateTimeOffset now)
    {
        var (where, args) = filter.People.ToSql(SqlDialect.Of(c));
        scope.AddTo(args);
        args.Add("touch", Home.SharedNumbers.TouchTypes);
        args.Add("take", InboxFilter.PageSize);
        args.Add("skip", (long)(filter.Page - 1) * InboxFilter.PageSize);
        var conditions = $"{where} AND {InScope(scope)}";
        if (filter.Overdue) { conditions += " AND k.due_at <= @now"; args.Add("now", now.ToUnixTimeMilliseconds()); }
        if (filter.Revived) conditions += " AND sr.id IS NOT NULL";
        var touched = Sql.In(c, "a.type", "@touch");
        var sql =
            "SELECT p.id, p.email, p.first_name, p.last_name, p.company, p.title, p.stage, p.fit_grade, p.engagement_score, p.first_touch_channel, " +
            "p.meets_mql, p.score_cell, p.score_model_version, " +
            "p.owner_assigned_at, u.name AS owner_name, " +
            $"(SELECT MAX(a.occurred_at) FROM activities a WHERE a.person_id = p.id AND {touched}) AS last_touched_at, " +
            "k.due_at AS next_due_at, k.kind AS next_due_kind, sr.revival_cause, sr.story AS stall_story " +
            OpenLeads +
            $"WHERE {conditions} " +
            // Every order ends on the id, so a page boundary never repeats or skips a lead.
            "ORDER BY k.due_at IS NULL, k.due_at, p.owner_assigned_at IS NULL, p.owner_assigned_at, p.id LIMIT @take OFFSET @skip";
        return (await c.QueryAsync<InboxRow>(sql, args)).ToList();
    }

    /// <summary>The first page of the whole inbox, for callers that want the most urgent leads.</summary>
    public static Task<IReadOnlyList<InboxRow>> OpenLeadsAsync(DbConnection c, LeadScope scope) =>
        PageAsync(c, scope, InboxFilter.Everything, DateTimeOffset.MaxValue);
}

using System.Data.Common;
using Dapper;
using Tandem.Server.Web.Access;
using Tandem.Server.Web.People;

namespace Tandem.Server.Web.Inbox;

/// <summary>
/// A rep's open leads: owned by them (a manager: by their teams), waiting in MQL or SAL, most urgent first.
/// Urgency is, for now, how long the lead has waited since it was assigned; the whole ordering lives in this one
/// method so it can move to SLA due times without touching the page.
/// </summary>
public static class InboxQuery
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
        public string? FirstTouchChannel { get; set; }
        public long? OwnerAssignedAt { get; set; }
        public string? OwnerName { get; set; }
        public long? LastTouchedAt { get; set; }

        public string DisplayName => $"{FirstName} {LastName}".Trim() is { Length: > 0 } n ? n : Email ?? $"Person {Id}";
    }

    public static async Task<IReadOnlyList<InboxRow>> OpenLeadsAsync(DbConnection c, LeadScope scope, int limit = 200)
    {
        var args = new Dapper.DynamicParameters(new { limit, touch = Home.SharedNumbers.TouchTypes });
        scope.AddTo(args);
        var touched = Storage.Sql.In(c, "a.type", "@touch");
        var sql =
            "SELECT p.id, p.email, p.first_name, p.last_name, p.company, p.title, p.stage, p.fit_grade, p.engagement_score, p.first_touch_channel, " +
            "p.owner_assigned_at, u.name AS owner_name, " +
            $"(SELECT MAX(a.occurred_at) FROM activities a WHERE a.person_id = p.id AND {touched}) AS last_touched_at " +
            "FROM people p JOIN users u ON u.id = p.owner_id " +
            $"WHERE p.merged_into_id IS NULL AND p.stage IN ('MQL', 'SAL') AND {scope.Condition} " +
            "ORDER BY p.owner_assigned_at IS NULL, p.owner_assigned_at, p.id LIMIT @limit";
        return (await c.QueryAsync<InboxRow>(sql, args)).ToList();
    }
}

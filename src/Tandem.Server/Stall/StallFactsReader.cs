using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;
using Tandem.Domain.Stall;

namespace Tandem.Server.Stall;

/// <summary>One lead's stall facts with the row the sweep keeps for it.</summary>
internal sealed record WatchedLead(StallFacts Facts, long? PersistedPeak);

/// <summary>
/// Reads the facts stall rules decide on for a set of people in one statement (people, their owner, the last stage
/// move's reason, and every activity folded into touches and signs of life by one GROUP BY), never person by person.
/// </summary>
internal static class StallFactsReader
{
    /// <summary>The owner's touches: what the SLA counts as an attempt.</summary>
    private static readonly string TouchTypes = string.Join(", ", SlaClockStops.AttemptTypes.Select(t => $"'{t}'"));

    /// <summary>The lead's own doing: anything not logged by the system or by sales, and the email events (which the system records).</summary>
    private const string LeadActivity =
        "((a.source <> 'system' AND a.type NOT IN ('call', 'email', 'meeting', 'note')) OR a.type IN ('email_opened', 'email_clicked', 'email_replied'))";

    private sealed class Row
    {
        public long Id { get; set; }
        public string Stage { get; set; } = "";
        public long StageChangedAt { get; set; }
        public string? StageReason { get; set; }
        public long? OwnerId { get; set; }
        public string? OwnerName { get; set; }
        public long? OwnerAssignedAt { get; set; }
        public long? OwnerTeamId { get; set; }
        public string? FitGrade { get; set; }
        public string? Source { get; set; }
        public long? EngagementScore { get; set; }
        public long? ScoredAt { get; set; }
        public long? PeakHistory { get; set; }
        public long? WatchPeak { get; set; }
        public long? LastTouch { get; set; }
        public long? Calls { get; set; }
        public long? Emails { get; set; }
        public long? Meetings { get; set; }
        public long? LastLead { get; set; }
        public long? Opened { get; set; }
        public long? Clicked { get; set; }
        public long? Pages { get; set; }
        public long? Other { get; set; }
    }

    /// <param name="where">A condition over people aliased <c>p</c> choosing whom to read (constant SQL, never user input).</param>
    public static async Task<List<WatchedLead>> ReadAsync(DbConnection c, DbTransaction? tx, string where, string lostReason, object? args = null)
    {
        // The signals since the owner's last touch need that touch first, so the activities are folded twice: once for
        // touches (per person), then joined back for what the lead did after the later of the assignment and that touch.
        var sql =
            "WITH who AS (SELECT p.id, p.owner_assigned_at FROM people p WHERE " + where + "), " +
            "touch AS (SELECT a.person_id, " +
            $"MAX(CASE WHEN a.type IN ({TouchTypes}) AND a.source <> 'system' THEN a.occurred_at END) AS last_touch, " +
            $"SUM(CASE WHEN a.type = 'call' AND a.source <> 'system' AND a.occurred_at >= COALESCE(w.owner_assigned_at, 0) THEN 1 ELSE 0 END) AS calls, " +
            $"SUM(CASE WHEN a.type = 'email' AND a.source <> 'system' AND a.occurred_at >= COALESCE(w.owner_assigned_at, 0) THEN 1 ELSE 0 END) AS emails, " +
            $"SUM(CASE WHEN a.type = 'meeting' AND a.source <> 'system' AND a.occurred_at >= COALESCE(w.owner_assigned_at, 0) THEN 1 ELSE 0 END) AS meetings, " +
            $"MAX(CASE WHEN {LeadActivity} THEN a.occurred_at END) AS last_lead " +
            "FROM activities a JOIN who w ON w.id = a.person_id GROUP BY a.person_id), " +
            "signals AS (SELECT a.person_id, " +
            "SUM(CASE WHEN a.type = 'email_opened' THEN 1 ELSE 0 END) AS opened, " +
            "SUM(CASE WHEN a.type = 'email_clicked' THEN 1 ELSE 0 END) AS clicked, " +
            "SUM(CASE WHEN a.type IN ('page_view', 'page') THEN 1 ELSE 0 END) AS pages, " +
            $"SUM(CASE WHEN {LeadActivity} AND a.type NOT IN ('email_opened', 'email_clicked', 'page_view', 'page') THEN 1 ELSE 0 END) AS other " +
            "FROM activities a JOIN who w ON w.id = a.person_id JOIN touch t ON t.person_id = a.person_id " +
            $"WHERE {LeadActivity} AND a.occurred_at > COALESCE(t.last_touch, w.owner_assigned_at, 0) " +
            "AND a.occurred_at > COALESCE(w.owner_assigned_at, 0) GROUP BY a.person_id) " +
            "SELECT p.id, p.stage, p.stage_changed_at, " +
            "(SELECT s.reason_code FROM stage_changes s WHERE s.person_id = p.id ORDER BY s.id DESC LIMIT 1) AS stage_reason, " +
            "p.owner_id, u.name AS owner_name, p.owner_assigned_at, p.owner_team_id, p.fit_grade, p.first_touch_channel AS source, " +
            "p.engagement_score, p.scored_at, " +
            "(SELECT MAX(h.engagement_score) FROM score_history h WHERE h.person_id = p.id) AS peak_history, sw.peak_engagement AS watch_peak, " +
            "t.last_touch, t.calls, t.emails, t.meetings, t.last_lead, s.opened, s.clicked, s.pages, s.other " +
            "FROM people p JOIN who ON who.id = p.id LEFT JOIN users u ON u.id = p.owner_id LEFT JOIN touch t ON t.person_id = p.id " +
            "LEFT JOIN signals s ON s.person_id = p.id LEFT JOIN stall_watch sw ON sw.person_id = p.id";
        var rows = await c.QueryAsync<Row>(sql, args, tx, commandTimeout: 600);
        return rows.Where(r => Stages.TryParse(r.Stage, out _)).Select(r =>
        {
            var peak = Max(Max(r.PeakHistory, r.WatchPeak), r.EngagementScore);
            var stage = Enum.Parse<Stage>(r.Stage);
            return new WatchedLead(new StallFacts(r.Id, stage, At(r.StageChangedAt), r.StageReason,
                stage == Stage.Recycled && string.Equals(r.StageReason, lostReason, StringComparison.OrdinalIgnoreCase),
                r.OwnerId, r.OwnerName, AtOrNull(r.OwnerAssignedAt), r.OwnerTeamId, r.FitGrade, r.Source, (int?)r.EngagementScore, (int?)peak,
                AtOrNull(r.ScoredAt), AtOrNull(r.LastTouch), AtOrNull(r.LastLead),
                new OwnerTouches((int)(r.Calls ?? 0), (int)(r.Emails ?? 0), (int)(r.Meetings ?? 0)),
                new LeadSignals((int)(r.Opened ?? 0), (int)(r.Clicked ?? 0), (int)(r.Pages ?? 0), (int)(r.Other ?? 0))), peak);
        }).ToList();
    }

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset? AtOrNull(long? ms) => ms is { } v ? At(v) : null;
}

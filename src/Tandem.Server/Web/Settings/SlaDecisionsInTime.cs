using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Web.Settings;

/// <summary>
/// Accept-or-reject decisions kept in time, per rep and per team, for the decision clocks started in a period — the
/// scorecard column the sales scorecard leaves out. A clock that ended without a verdict (the lead was closed, merged or
/// reassigned before its due time) or is still running and not yet due counts neither way.
/// </summary>
internal sealed record SlaDecisionsInTime(IReadOnlyDictionary<long, (int Met, int Judged)> ByRep, IReadOnlyDictionary<long, (int Met, int Judged)> ByTeam,
    (int Met, int Judged) Total)
{
    public static async Task<SlaDecisionsInTime> ForAsync(Database db, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var rows = (await db.ReadAsync(c => c.QueryAsync<(long Owner, long? Team, long Met, long Judged)>(
            "SELECT owner_user_id, team_id, " +
            "SUM(CASE WHEN breached_at IS NULL AND stopped_at IS NOT NULL AND stop_reason NOT IN ('closed', 'reassigned', 'merged') THEN 1 ELSE 0 END), " +
            "SUM(CASE WHEN breached_at IS NOT NULL OR (stopped_at IS NOT NULL AND stop_reason NOT IN ('closed', 'reassigned', 'merged')) THEN 1 ELSE 0 END) " +
            "FROM sla_clocks WHERE kind = 'decision' AND started_at >= @f AND started_at < @t GROUP BY owner_user_id, team_id",
            new { f = from.ToUnixTimeMilliseconds(), t = to.ToUnixTimeMilliseconds() }), ct)).ToList();
        return new SlaDecisionsInTime(
            Sum(rows.GroupBy(r => r.Owner)),
            Sum(rows.GroupBy(r => r.Team ?? NoTeam)),
            ((int)rows.Sum(r => r.Met), (int)rows.Sum(r => r.Judged)));

        static IReadOnlyDictionary<long, (int, int)> Sum(IEnumerable<IGrouping<long, (long Owner, long? Team, long Met, long Judged)>> groups) =>
            groups.ToDictionary(g => g.Key, g => ((int)g.Sum(r => r.Met), (int)g.Sum(r => r.Judged)));
    }

    /// <summary>Stands for "no team" among team ids, which start at 1.</summary>
    private const long NoTeam = 0;

    /// <summary>A scorecard group's decisions: a rep by user id, a team by team id (null: leads held outside any team).</summary>
    public (int Met, int Judged) Of(string groupBy, long? id) =>
        groupBy == "team" ? ByTeam.GetValueOrDefault(id ?? NoTeam) : id is { } rep ? ByRep.GetValueOrDefault(rep) : (0, 0);
}

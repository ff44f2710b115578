using System.Data.Common;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Web.Home;

/// <summary>
/// The numbers both teams look at on the home page, over the last 12 weeks: new leads, MQLs and accepted
/// leads per week, MQLs nobody has called, emailed or met, and the sources leads and MQLs come from.
/// They are the whole workspace's numbers, the same for every role: that is the point of sharing them.
/// </summary>
internal static class SharedNumbers
{
    public const int Weeks = 12;
    private const long WeekMs = 7L * 24 * 60 * 60 * 1000;

    /// <summary>Sales activities that count as touching a lead.</summary>
    public static readonly string[] TouchTypes = ["call", "email", "meeting"];

    public sealed record Source(string Name, long Leads, long Mqls);

    /// <summary>Untouched MQLs of one owner ("No owner" when nobody has them: the leads that fell through the cracks).</summary>
    public sealed record Untouched(string Owner, long Mqls);

    public sealed record Numbers(DateTimeOffset AsOf, IReadOnlyList<DateTimeOffset> WeekStarts, long[] NewLeads, long[] Mqls, long[] Accepted,
        long MqlsTotal, long MqlsNeverTouched, IReadOnlyList<Source> Sources, IReadOnlyList<Untouched> NeverTouchedByOwner)
    {
        public long NewLeadsTotal => NewLeads.Sum();
        public long AcceptedTotal => Accepted.Sum();
        public double AcceptanceRate => MqlsTotal == 0 ? 0 : (double)AcceptedTotal / MqlsTotal;
        public double NeverTouchedShare => MqlsTotal == 0 ? 0 : (double)MqlsNeverTouched / MqlsTotal;
    }

    public static async Task<Numbers> ReadAsync(DbConnection c, DateTimeOffset now)
    {
        var start = now.ToUnixTimeMilliseconds() - Weeks * WeekMs;
        var args = new { start, week = WeekMs, touch = TouchTypes };
        var weekStarts = Enumerable.Range(0, Weeks).Select(i => DateTimeOffset.FromUnixTimeMilliseconds(start + i * WeekMs)).ToList();

        var newLeads = Buckets(await c.QueryAsync<(long Bucket, long Count)>(
            "SELECT (created_at - @start) / @week AS bucket, COUNT(*) FROM people WHERE merged_into_id IS NULL AND created_at >= @start GROUP BY bucket", args));
        var mqls = Buckets(await c.QueryAsync<(long Bucket, long Count)>(
            "SELECT (changed_at - @start) / @week AS bucket, COUNT(DISTINCT person_id) FROM stage_changes WHERE to_stage = 'MQL' AND changed_at >= @start GROUP BY bucket", args));
        var accepted = Buckets(await c.QueryAsync<(long Bucket, long Count)>(
            "SELECT (changed_at - @start) / @week AS bucket, COUNT(DISTINCT person_id) FROM stage_changes WHERE to_stage = 'SAL' AND changed_at >= @start GROUP BY bucket", args));

        var touched = Sql.In(c, "a.type", "@touch");
        var (total, untouched) = await c.QuerySingleAsync<(long, long)>(
            // An erased lead's touches went with its activities: it counts as an MQL, never as one nobody touched.
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN m.erased_at IS NULL AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.person_id = m.person_id AND " + touched + ") THEN 1 ELSE 0 END), 0) " +
            "FROM (SELECT DISTINCT s.person_id, p.erased_at FROM stage_changes s JOIN people p ON p.id = s.person_id " +
            "      WHERE s.to_stage = 'MQL' AND s.changed_at >= @start AND p.merged_into_id IS NULL) m", args);

        // SQLite reports no column types for a result with no rows, and Dapper cannot then build these records: a new
        // workspace's home page failed. Both queries have rows exactly when the counts above are not zero.
        var sources = newLeads.Sum() == 0 ? [] : (await c.QueryAsync<Source>(
            "SELECT COALESCE(p.first_touch_channel, 'unknown') AS name, COUNT(*) AS leads, COUNT(m.person_id) AS mqls " +
            "FROM people p LEFT JOIN (SELECT DISTINCT person_id FROM stage_changes WHERE to_stage = 'MQL') m ON m.person_id = p.id " +
            "WHERE p.merged_into_id IS NULL AND p.created_at >= @start GROUP BY COALESCE(p.first_touch_channel, 'unknown') " +
            "ORDER BY leads DESC, name LIMIT 8", args)).ToList();

        var byOwner = untouched == 0 ? [] : (await c.QueryAsync<Untouched>(
            "SELECT COALESCE(u.name, 'No owner') AS owner, COUNT(*) AS mqls " +
            "FROM (SELECT DISTINCT person_id FROM stage_changes WHERE to_stage = 'MQL' AND changed_at >= @start) m " +
            "JOIN people p ON p.id = m.person_id LEFT JOIN users u ON u.id = p.owner_id " +
            "WHERE p.merged_into_id IS NULL AND p.erased_at IS NULL AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.person_id = m.person_id AND " + touched + ") " +
            "GROUP BY COALESCE(u.name, 'No owner') ORDER BY mqls DESC, owner LIMIT 6", args)).ToList();

        return new Numbers(now, weekStarts, newLeads, mqls, accepted, total, untouched, sources, byOwner);
    }

    private static long[] Buckets(IEnumerable<(long Bucket, long Count)> rows)
    {
        var buckets = new long[Weeks];
        foreach (var (bucket, count) in rows)
            if (bucket is >= 0 and < Weeks) buckets[bucket] += count;
        return buckets;
    }
}

/// <summary>
/// Keeps the shared numbers for a minute: they are 12-week aggregates that every signed-in user's home page shows,
/// so recomputing them on each visit would only load the database (the page says how fresh they are).
/// </summary>
internal sealed class SharedNumbersCache(Database db, TimeProvider clock)
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromMinutes(1);
    private SharedNumbers.Numbers? latest;

    public async Task<SharedNumbers.Numbers> GetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (latest is { } cached && now - cached.AsOf < FreshFor && now >= cached.AsOf) return cached;
        var fresh = await db.ReadAsync(c => SharedNumbers.ReadAsync(c, now), ct);
        latest = fresh;
        return fresh;
    }
}

using System.Data.Common;
using Dapper;
using Tandem.Domain.Routing;
using Tandem.Server.Storage;

namespace Tandem.Server.Routing;

/// <summary>Loads reps as routing sees them at one instant: availability, working hours, open leads and today's assignments.</summary>
internal static class RepStore
{
    /// <summary>Stages in which a lead counts against a rep's capacity: it is still the rep's work in progress.</summary>
    public static readonly string[] OpenStages = ["MQL", "SAL", "SQL"];

    public static async Task<IReadOnlyList<Rep>> LoadAsync(DbConnection c, DbTransaction? tx, IReadOnlyCollection<long> userIds, DateTimeOffset now)
    {
        if (userIds.Count == 0) return [];
        var ids = userIds.Distinct().ToArray();
        var rows = (await c.QueryAsync<RepRow>(
            "SELECT u.id AS UserId, u.name AS Name, u.active AS Active, p.time_zone AS TimeZone, p.working_hours AS WorkingHours, " +
            "p.capacity AS Capacity, p.daily_quota AS DailyQuota, p.weight AS Weight " +
            $"FROM users u LEFT JOIN rep_profiles p ON p.user_id = u.id WHERE {Sql.In(c, "u.id", "@ids")}", new { ids }, tx)).ToList();
        var nowMs = now.ToUnixTimeMilliseconds();
        var timeOff = (await c.QueryAsync<(long UserId, long StartsAt, long EndsAt, string? Note)>(
                $"SELECT user_id, starts_at, ends_at, note FROM rep_time_off WHERE {Sql.In(c, "user_id", "@ids")} AND ends_at > @nowMs",
                new { ids, nowMs }, tx))
            .ToLookup(t => t.UserId, t => new TimeOff(DateTimeOffset.FromUnixTimeMilliseconds(t.StartsAt), DateTimeOffset.FromUnixTimeMilliseconds(t.EndsAt), t.Note));

        var needOpen = rows.Select(r => r.UserId).ToArray();
        var open = (await c.QueryAsync<(long OwnerId, long Count)>(
                $"SELECT owner_id, COUNT(*) FROM people WHERE {Sql.In(c, "owner_id", "@needOpen")} AND {Sql.In(c, "stage", "@OpenStages")} " +
                "AND merged_into_id IS NULL AND erased_at IS NULL GROUP BY owner_id", new { needOpen, OpenStages }, tx))
            .ToDictionary(r => r.OwnerId, r => (int)r.Count);

        var reps = new List<Rep>();
        foreach (var r in rows)
        {
            var zone = Zones.FindOrUtc(r.TimeZone);
            var assignedToday = 0;
            if (r.DailyQuota is not null)
            {
                var since = Eligibility.StartOfLocalDay(now, zone).ToUnixTimeMilliseconds();
                assignedToday = await c.ExecuteScalarAsync<int>(
                    "SELECT COUNT(*) FROM routing_decisions WHERE user_id = @UserId AND decided_at >= @since AND outcome <> 'Unassigned'",
                    new { r.UserId, since }, tx);
            }
            WorkingHours.TryParse(Json.Read<Dictionary<string, string[]>?>(r.WorkingHours, null), out var hours, out _);
            reps.Add(new Rep(r.UserId, r.Name, r.Active != 0, zone, hours, timeOff[r.UserId].ToList(),
                r.Capacity is { } cap ? (int)cap : null, open.GetValueOrDefault(r.UserId),
                r.DailyQuota is { } q ? (int)q : null, assignedToday, (int)(r.Weight ?? 1)));
        }
        return reps;
    }

    private sealed class RepRow
    {
        public long UserId { get; set; }
        public string Name { get; set; } = "";
        public long Active { get; set; }
        public string? TimeZone { get; set; }
        public string? WorkingHours { get; set; }
        public long? Capacity { get; set; }
        public long? DailyQuota { get; set; }
        public long? Weight { get; set; }
    }
}

/// <summary>IANA time zones ("Europe/Berlin"); an unknown stored zone reads as UTC rather than failing a routing transaction.</summary>
internal static class Zones
{
    public static bool TryFind(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id)) return false;
        try { zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim()); return true; }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException) { return false; }
    }

    public static TimeZoneInfo FindOrUtc(string? id) => TryFind(id, out var zone) ? zone : TimeZoneInfo.Utc;
}

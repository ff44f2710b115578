using System.Data.Common;
using Dapper;
using Tandem.Domain.Reports;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Reports;

internal sealed record TrafficTotalsDto(long PageViews, long Visitors, long KnownVisitors, long AnonymousVisitors, long Sessions, long KnownSessions,
    long AnonymousSessions);

internal sealed record TrafficChannelDto(string Channel, long Sessions, long KnownSessions, long AnonymousSessions, long Visitors, long PageViews);

/// <summary>Sessions and visitors per bucket of the period (a session counts in the bucket it started in).</summary>
internal sealed record TrafficTrendDto(IReadOnlyList<DateTimeOffset> Starts, long[] Sessions, long[] KnownSessions, long[] Visitors);

internal sealed record TrafficDto(string Shows, DateTimeOffset From, DateTimeOffset To, string Interval, TrafficTotalsDto Totals,
    IReadOnlyList<TrafficChannelDto> Channels, TrafficTrendDto Trend);

/// <summary>
/// The top of the funnel: visitors and sessions from tracked page views (activity type page_view), anonymous and
/// known, by the channel that started each session (Domain/Reports/Sessions.cs: 30 minutes without a view ends one).
/// </summary>
internal static class TrafficReport
{
    public const string ShowsText = "Page views tracked within the period, grouped into sessions (a 30-minute pause ends one); a visitor is known once " +
                                    "their visits are linked to a person. A session's channel is the one of its first page view, direct when none.";

    public static async Task<TrafficDto> ReadAsync(DbConnection c, ReportRequest r, LeadScope? scope)
    {
        var args = new DynamicParameters(new { from = r.FromMs, to = r.ToMs });
        // Anonymous visits belong to nobody's book; a known visitor's are seen by whoever may see the person.
        var views = (await c.QueryAsync<(long? PersonId, string? AnonymousId, long At, string? Channel)>(
                "SELECT a.person_id, a.anonymous_id, a.occurred_at, a.channel FROM activities a LEFT JOIN people p ON p.id = a.person_id " +
                "WHERE a.type = 'page_view' AND a.occurred_at >= @from AND a.occurred_at < @to " +
                $"AND (a.person_id IS NULL OR {ReportPeople.Scope(scope, args)})", args))
            .Select(v => new Sessions.PageView(v.PersonId is { } id ? "p" + id : "a" + v.AnonymousId, v.PersonId is not null, v.At, v.Channel))
            .ToList();
        var sessions = Sessions.Of(views);

        var totals = new TrafficTotalsDto(views.Count, Distinct(sessions), Distinct(sessions.Where(s => s.Known)), Distinct(sessions.Where(s => !s.Known)),
            sessions.Count, sessions.Count(s => s.Known), sessions.Count(s => !s.Known));
        var channels = sessions.GroupBy(s => s.Channel)
            .Select(g => new TrafficChannelDto(g.Key, g.Count(), g.Count(s => s.Known), g.Count(s => !s.Known), Distinct(g), g.Sum(s => (long)s.PageViews)))
            .OrderByDescending(ch => ch.Sessions).ThenBy(ch => ch.Channel, StringComparer.Ordinal).ToList();

        var buckets = r.Buckets();
        var trendSessions = new long[buckets.Count];
        var trendKnown = new long[buckets.Count];
        var trendVisitors = new long[buckets.Count];
        foreach (var bucket in sessions.GroupBy(s => r.BucketOf(buckets, DateTimeOffset.FromUnixTimeMilliseconds(s.StartedAt))))
        {
            trendSessions[bucket.Key] = bucket.Count();
            trendKnown[bucket.Key] = bucket.Count(s => s.Known);
            trendVisitors[bucket.Key] = Distinct(bucket);
        }
        return new TrafficDto(ShowsText, r.From, r.To, r.Interval, totals, channels, new TrafficTrendDto(buckets, trendSessions, trendKnown, trendVisitors));
    }

    private static long Distinct(IEnumerable<Sessions.Session> sessions) => sessions.Select(s => s.Visitor).Distinct().Count();
}

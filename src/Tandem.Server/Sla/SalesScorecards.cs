using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Sla;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Sla;

/// <param name="MedianMinutesToFirstTouch">Business minutes from assignment to the first call, email or meeting.</param>
/// <param name="WithinSlaShare">Of first-touch clocks with a verdict (met or breached), the share met in time.</param>
/// <param name="NeverTouchedShare">Of leads assigned in the period, the share this rep or team never called, emailed or met.</param>
internal sealed record SalesScoreDto(long? Id, string Name, int Leads, int Touched, int NeverTouched, double? NeverTouchedShare,
    double? MedianMinutesToFirstTouch, double? P90MinutesToFirstTouch, double? WithinSlaShare, int Attempts, int Breaches);

internal sealed record SalesScorecardDto(DateTimeOffset From, DateTimeOffset To, string GroupBy, IReadOnlyList<SalesScoreDto> Groups, SalesScoreDto Total);

/// <summary>GET /api/v1/sla/scorecards/sales: sales' side of the agreement per rep or team, for leads assigned in the period.</summary>
internal static class SalesScorecards
{
    private static readonly string[] Groupings = ["rep", "team"];

    public static async Task<Results<Ok<SalesScorecardDto>, ValidationProblem>> Handle(
        DateTimeOffset? from, DateTimeOffset? to, string? groupBy, long? teamId, Database db, TimeProvider clock, CancellationToken ct)
    {
        groupBy = (groupBy ?? "rep").Trim().ToLowerInvariant();
        if (!Groupings.Contains(groupBy)) return Problems.Field("groupBy", "Must be rep or team.");
        var end = to ?? clock.GetUtcNow();
        var start = from ?? end.AddDays(-30);
        if (start >= end) return Problems.Field("from", "Must be before 'to'.");
        var range = new { f = start.ToUnixTimeMilliseconds(), t = end.ToUnixTimeMilliseconds(), teamId };
        var teamFilter = teamId is null ? "" : " AND team_id = @teamId";

        var (clocks, breaches, users, teams) = await db.ReadAsync(async c => (
            (await c.QueryAsync<ClockRow>("SELECT * FROM sla_clocks WHERE kind = 'first_touch' AND started_at >= @f AND started_at < @t" + teamFilter, range)).ToList(),
            (await c.QueryAsync<(long OwnerUserId, long? TeamId)>(
                "SELECT owner_user_id, team_id FROM sla_breaches WHERE breached_at >= @f AND breached_at < @t" + teamFilter, range)).ToList(),
            (await c.QueryAsync<(long Id, string Name)>("SELECT id, name FROM users")).ToDictionary(u => u.Id, u => u.Name),
            (await c.QueryAsync<(long Id, string Name)>("SELECT id, name FROM teams")).ToDictionary(t => t.Id, t => t.Name)), ct);

        Func<long, long?, long?> key = groupBy == "rep" ? (owner, _) => owner : (_, team) => team;
        var groups = clocks.Select(k => key(k.OwnerUserId, k.TeamId)).Concat(breaches.Select(b => key(b.OwnerUserId, b.TeamId))).Distinct()
            .Select(id => Score(id, Name(id), clocks.Where(k => key(k.OwnerUserId, k.TeamId) == id), breaches.Count(b => key(b.OwnerUserId, b.TeamId) == id)))
            .OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase).ToList();
        return TypedResults.Ok(new SalesScorecardDto(start, end, groupBy, groups, Score(null, "All", clocks, breaches.Count)));

        string Name(long? id) => id is not { } i ? "No team"
            : (groupBy == "rep" ? users : teams).TryGetValue(i, out var n) ? n : $"#{i}";
    }

    private static SalesScoreDto Score(long? id, string name, IEnumerable<ClockRow> clocks, int breaches)
    {
        var facts = clocks.Select(k => new FirstTouchFact(k.StopReason == "touched", k.BreachedAt is not null,
            k.StopReason == "touched" && k.BusinessMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, (int)k.Attempts)).ToList();
        var s = SalesScorecard.Score(facts, breaches);
        return new SalesScoreDto(id, name, s.Leads, s.Touched, s.NeverTouched, Round(s.NeverTouchedShare),
            Minutes(s.MedianTimeToFirstTouch), Minutes(s.P90TimeToFirstTouch), Round(s.WithinSlaShare), s.Attempts, s.Breaches);
    }

    private static double? Minutes(TimeSpan? t) => t is { } v ? Math.Round(v.TotalMinutes, 2) : null;
    private static double? Round(double? share) => share is { } v ? Math.Round(v, 4) : null;
}

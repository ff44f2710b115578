using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Reports;
using Tandem.Server.Storage;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Reports;

/// <summary>Time from one stage to another, in days, for the people who reached the later stage in the period.</summary>
/// <param name="People">The people-list filters for the people measured (they reached To in the period).</param>
internal sealed record VelocityIntervalDto(string From, string To, long People, double? MedianDays, double? P90Days, string PeopleFilter);

internal sealed record VelocityGroupDto(string? Key, string Label, IReadOnlyList<VelocityIntervalDto> Intervals);

/// <summary>The people in a stage now and how long they have been in it.</summary>
internal sealed record StageAgeDto(string Stage, long People, double? MedianDays, double? P90Days, string PeopleFilter);

/// <summary>One of the leads that has waited longest in its stage.</summary>
internal sealed record SlowLeadDto(long Id, string Name, string? Company, string Stage, DateTimeOffset Since, double Days, string? Owner);

internal sealed record VelocityDto(string Shows, DateTimeOffset From, DateTimeOffset To, string? By, DateTimeOffset AsOf,
    IReadOnlyList<VelocityIntervalDto> Intervals, IReadOnlyList<VelocityGroupDto> Groups, IReadOnlyList<StageAgeDto> InStageNow,
    IReadOnlyList<SlowLeadDto> Slowest);

/// <summary>
/// How fast leads move: median and 90th percentile time between stages (from the stage_reached rollup, leaving out
/// stages a person skipped), and how long the people in each open stage have been there now, slowest leads first.
/// </summary>
internal static class VelocityReport
{
    public const string ShowsText = "Time between stages for the people who reached the later stage within the period; " +
                                    "a stage somebody skipped is not timed. Time in stage is as of now, whatever the period.";

    /// <summary>The stages a lead can wait in: not yet won, not out of the funnel.</summary>
    public static readonly IReadOnlyList<Stage> OpenStages = [Stage.Lead, Stage.MQL, Stage.SAL, Stage.SQL, Stage.Opportunity, Stage.Recycled];

    private const double DayMs = 24d * 60 * 60 * 1000;
    public const int SlowestCount = 10;

    public static async Task<VelocityDto> ReadAsync(DbConnection c, ReportRequest r, LeadScope? scope, DateTimeOffset now)
    {
        var measured = await MeasureAsync(c, r, r.By, scope);
        // A person with two personas is measured in both persona groups, and only once in the whole.
        var whole = r.By is Dimension.Persona ? await MeasureAsync(c, r, null, scope) : measured;

        List<VelocityIntervalDto> Intervals(IEnumerable<(int Interval, string? Key, long Ms)> rows, (string, string)? group) =>
            Funnel.Intervals.Select((pair, i) =>
            {
                var ms = rows.Where(x => x.Interval == i).Select(x => x.Ms).ToList();
                return new VelocityIntervalDto(pair.From.ToString(), pair.To.ToString(), ms.Count, Days(Percentiles.Median(ms)), Days(Percentiles.P90(ms)),
                    ReportPeople.ReachedFilter(FunnelMode.Period, pair.To, r.From, r.To, group));
            }).ToList();

        var groups = new List<VelocityGroupDto>();
        if (r.By is { } by)
        {
            var names = await ReportPeople.NamesAsync(c, by);
            groups = measured.GroupBy(x => x.Key)
                .Select(g => new VelocityGroupDto(g.Key, Dimensions.Label(by, g.Key, names), Intervals(g, Dimensions.Filter(by, g.Key))))
                .OrderByDescending(g => g.Intervals.Sum(i => i.People)).ThenBy(g => g.Label, StringComparer.Ordinal).ToList();
        }
        return new VelocityDto(ShowsText, r.From, r.To, r.By is { } d ? Dimensions.NameOf(d) : null, now, Intervals(whole, null), groups,
            await InStageAsync(c, scope, now), await SlowestAsync(c, scope, now));
    }

    /// <summary>Every measured interval: which pair, the person's group and the milliseconds between the two stages.</summary>
    private static async Task<List<(int Interval, string? Key, long Ms)>> MeasureAsync(DbConnection c, ReportRequest r, Dimension? by, LeadScope? scope)
    {
        var (join, key) = by is { } d ? Dimensions.Sql(d, SqlDialect.Of(c)) : ("", "NULL");
        var measured = new List<(int, string?, long)>();
        for (var i = 0; i < Funnel.Intervals.Count; i++)
        {
            var (a, b) = Funnel.Intervals[i];
            var args = new DynamicParameters(new { from = r.FromMs, to = r.ToMs, a = a.ToString(), b = b.ToString() });
            var rows = await c.QueryAsync<(string? Key, long Ms)>(
                $"SELECT {key}, rb.reached_at - ra.reached_at FROM stage_reached rb " +
                "JOIN stage_reached ra ON ra.person_id = rb.person_id AND ra.stage = @a AND ra.implied = 0 " +
                $"JOIN people p ON p.id = rb.person_id{join} " +
                $"WHERE rb.stage = @b AND rb.implied = 0 AND rb.reached_at >= @from AND rb.reached_at < @to AND p.merged_into_id IS NULL AND {ReportPeople.Scope(scope, args)}",
                args);
            measured.AddRange(rows.Select(x => (i, x.Key, x.Ms)));
        }
        return measured;
    }

    private static async Task<IReadOnlyList<StageAgeDto>> InStageAsync(DbConnection c, LeadScope? scope, DateTimeOffset now)
    {
        var args = new DynamicParameters(new { stages = OpenStages.Select(s => s.ToString()).ToArray(), now = now.ToUnixTimeMilliseconds() });
        var rows = (await c.QueryAsync<(string Stage, long Ms)>(
            $"SELECT p.stage, @now - p.stage_changed_at FROM people p WHERE {SqlDialect.Of(c).In("p.stage", "@stages")} " +
            $"AND p.merged_into_id IS NULL AND {ReportPeople.Scope(scope, args)}", args)).ToLookup(x => x.Stage, x => Math.Max(0, x.Ms));
        return OpenStages.Select(s =>
        {
            var ms = rows[s.ToString()].ToList();
            return new StageAgeDto(s.ToString(), ms.Count, Days(Percentiles.Median(ms)), Days(Percentiles.P90(ms)), ReportPeople.Query(new() { ["stage"] = s.ToString() }));
        }).ToList();
    }

    /// <summary>The leads waiting longest in a stage where someone should act on them (MQL to Opportunity).</summary>
    private static async Task<IReadOnlyList<SlowLeadDto>> SlowestAsync(DbConnection c, LeadScope? scope, DateTimeOffset now)
    {
        var args = new DynamicParameters(new { stages = new[] { "MQL", "SAL", "SQL", "Opportunity" }, take = SlowestCount });
        var rows = await c.QueryAsync<SlowRow>(
            "SELECT p.id AS Id, p.first_name AS FirstName, p.last_name AS LastName, p.email AS Email, p.company AS Company, p.stage AS Stage, " +
            "p.stage_changed_at AS Since, u.name AS Owner FROM people p LEFT JOIN users u ON u.id = p.owner_id " +
            $"WHERE {SqlDialect.Of(c).In("p.stage", "@stages")} AND p.merged_into_id IS NULL AND {ReportPeople.Scope(scope, args)} " +
            "ORDER BY p.stage_changed_at, p.id LIMIT @take", args);
        return rows.Select(x =>
        {
            var name = $"{x.FirstName} {x.LastName}".Trim();
            return new SlowLeadDto(x.Id, name.Length > 0 ? name : x.Email ?? $"Person {x.Id}", x.Company, x.Stage,
                DateTimeOffset.FromUnixTimeMilliseconds(x.Since), Math.Round((now.ToUnixTimeMilliseconds() - x.Since) / DayMs, 1), x.Owner);
        }).ToList();
    }

    private sealed class SlowRow
    {
        public long Id { get; set; }
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Email { get; set; }
        public string? Company { get; set; }
        public string Stage { get; set; } = "";
        public long Since { get; set; }
        public string? Owner { get; set; }
    }

    private static double? Days(double? ms) => ms is { } v ? Math.Round(v / DayMs, 2) : null;
}

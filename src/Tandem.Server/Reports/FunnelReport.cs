using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Reports;
using Tandem.Server.Storage;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Reports;

/// <param name="People">The people-list filters (a query string) that list the people this count holds.</param>
internal sealed record FunnelStepDto(string Stage, long Count, double? FromPrevious, double? FromFirst, string People);

/// <param name="OfFirst">The exit's share of the funnel's first step (Lead).</param>
internal sealed record FunnelExitDto(string Stage, long Count, double? OfFirst, string People);

/// <summary>Counts per stage in each bucket of the period; a bucket starts at its entry in Starts.</summary>
internal sealed record FunnelTrendDto(IReadOnlyList<DateTimeOffset> Starts, IReadOnlyDictionary<string, long[]> Counts);

/// <param name="Key">The group's value as the people filter takes it (a channel, a rep's id…); null for "none".</param>
/// <param name="People">Per stage, the people-list filters for this group's count; absent where no filter selects the group.</param>
internal sealed record FunnelGroupDto(string? Key, string Label, IReadOnlyDictionary<string, long> Counts, double? LeadToCustomer,
    double? LeadToSql, IReadOnlyDictionary<string, string> People);

/// <param name="Shows">In words, which people the funnel counts.</param>
internal sealed record FunnelDto(string Mode, string Shows, DateTimeOffset From, DateTimeOffset To, string Interval, string? By,
    IReadOnlyList<FunnelStepDto> Steps, IReadOnlyList<FunnelExitDto> Exits, FunnelTrendDto Trend, IReadOnlyList<FunnelGroupDto> Groups);

/// <summary>
/// The revenue-cycle funnel over a period, read from the stage_reached rollup: by period (what moved in it) or by
/// cohort (people created, or who reached MQL, in it, followed forward), with its trend and an optional breakdown.
/// </summary>
internal static class FunnelReport
{
    private const long DayMs = 24L * 60 * 60 * 1000;

    /// <summary>The funnel's stages as an SQL list (constants from the code, never input).</summary>
    private static readonly string StageList = "(" + string.Join(", ", Funnel.All.Select(s => $"'{s}'")) + ")";

    public static string Shows(FunnelMode mode) => mode switch
    {
        FunnelMode.Period => "By period: each stage counts the people who first reached it within the period, whenever they were created.",
        FunnelMode.Cohort => "By cohort: the people created within the period, and every stage they have reached since.",
        _ => "By MQL cohort: the people who first reached MQL within the period, and every stage they have reached since.",
    };

    public static async Task<FunnelDto> ReadAsync(DbConnection c, ReportRequest r, LeadScope? scope)
    {
        var dialect = SqlDialect.Of(c);
        var buckets = r.Buckets();
        var stages = Funnel.All.Select(s => s.ToString()).ToList();

        var args = new DynamicParameters(new { from = r.FromMs, to = r.ToMs, day = DayMs });
        var (from, bucketAt) = Source(r.Mode, "");
        var where = $" AND p.merged_into_id IS NULL AND {ReportPeople.Scope(scope, args)}";
        var rows = await c.QueryAsync<(string Stage, long Day, long Count)>(
            $"SELECT r.stage, ({bucketAt} - @from) / @day, COUNT(*) {from}{where} GROUP BY 1, 2", args);

        var totals = stages.ToDictionary(s => s, _ => 0L);
        var trend = stages.ToDictionary(s => s, _ => new long[buckets.Count]);
        foreach (var (stage, day, count) in rows)
        {
            if (!totals.ContainsKey(stage)) continue;
            totals[stage] += count;
            trend[stage][r.BucketOf(buckets, r.From.AddDays(day))] += count;
        }

        var steps = new List<FunnelStepDto>();
        for (var i = 0; i < Funnel.Steps.Count; i++)
        {
            var stage = Funnel.Steps[i];
            var count = totals[stage.ToString()];
            steps.Add(new FunnelStepDto(stage.ToString(), count, i == 0 ? null : Funnel.Rate(count, totals[Funnel.Steps[i - 1].ToString()]),
                i == 0 ? null : Funnel.Rate(count, totals[Funnel.Steps[0].ToString()]), ReportPeople.ReachedFilter(r.Mode, stage, r.From, r.To)));
        }
        var exits = Funnel.Exits.Select(e => new FunnelExitDto(e.ToString(), totals[e.ToString()],
            Funnel.Rate(totals[e.ToString()], totals[nameof(Stage.Lead)]), ReportPeople.ReachedFilter(r.Mode, e, r.From, r.To))).ToList();

        var groups = r.By is { } by ? await GroupsAsync(c, r, by, scope, dialect) : [];
        return new FunnelDto(r.ModeName, Shows(r.Mode), r.From, r.To, r.Interval, r.By is { } b ? Dimensions.NameOf(b) : null, steps, exits,
            new FunnelTrendDto(buckets, trend), groups);
    }

    /// <summary>The FROM and WHERE that pick the rows of the mode (r: the reached stage, p: the person), and the instant that places each in the trend.</summary>
    private static (string From, string BucketAt) Source(FunnelMode mode, string join) => mode switch
    {
        // The stages are listed so the index on (stage, reached_at) is read as one range per stage rather than scanned whole.
        FunnelMode.Period => ($"FROM stage_reached r JOIN people p ON p.id = r.person_id{join} WHERE r.stage IN {StageList} AND r.reached_at >= @from AND r.reached_at < @to", "r.reached_at"),
        FunnelMode.Cohort => ($"FROM people p JOIN stage_reached r ON r.person_id = p.id{join} WHERE p.created_at >= @from AND p.created_at < @to", "p.created_at"),
        _ => ($"FROM stage_reached m JOIN stage_reached r ON r.person_id = m.person_id JOIN people p ON p.id = m.person_id{join} " +
              "WHERE m.stage = 'MQL' AND m.reached_at >= @from AND m.reached_at < @to", "m.reached_at"),
    };

    private static async Task<IReadOnlyList<FunnelGroupDto>> GroupsAsync(DbConnection c, ReportRequest r, Dimension by, LeadScope? scope, SqlDialect dialect)
    {
        var (join, key) = Dimensions.Sql(by, dialect);
        var args = new DynamicParameters(new { from = r.FromMs, to = r.ToMs });
        var (from, _) = Source(r.Mode, join);
        var rows = await c.QueryAsync<(string Stage, string? Key, long Count)>(
            $"SELECT r.stage, {key}, COUNT(*) {from} AND p.merged_into_id IS NULL AND {ReportPeople.Scope(scope, args)} GROUP BY 1, 2", args);
        var names = await ReportPeople.NamesAsync(c, by);

        return rows.GroupBy(x => x.Key).Select(g =>
            {
                var counts = Funnel.All.ToDictionary(s => s.ToString(), s => g.Where(x => x.Stage == s.ToString()).Sum(x => x.Count));
                var filter = Dimensions.Filter(by, g.Key);
                var people = filter is null
                    ? new Dictionary<string, string>()
                    : Funnel.All.ToDictionary(s => s.ToString(), s => ReportPeople.ReachedFilter(r.Mode, s, r.From, r.To, filter));
                return new FunnelGroupDto(g.Key, Dimensions.Label(by, g.Key, names), counts,
                    Funnel.Rate(counts[nameof(Stage.Customer)], counts[nameof(Stage.Lead)]), Funnel.Rate(counts[nameof(Stage.SQL)], counts[nameof(Stage.Lead)]), people);
            })
            .OrderByDescending(g => g.Counts[nameof(Stage.Lead)]).ThenByDescending(g => g.Counts.Values.Sum()).ThenBy(g => g.Label, StringComparer.Ordinal)
            .ToList();
    }
}

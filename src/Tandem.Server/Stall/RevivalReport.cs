using System.Data.Common;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Export;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Stall;

/// <summary>
/// The revival report: leads that stalled in a period, how many came back (and how fast), and what they became after —
/// accepted, won, the pipeline and revenue recovered — by rule, program, source or the rep who had them. Money left on
/// the table, made visible. Each revived lead is followed through the closed loop: stage moves and sales' outcomes
/// recorded after its revival count.
/// </summary>
internal static class RevivalReport
{
    public static readonly IReadOnlyList<string> Groupings = ["rule", "program", "source", "rep"];

    public sealed record Line(string Key, long Entered, long Revived, double RevivalRate, double? AvgHoursToRevive, long AcceptedAfter, long WonAfter,
        decimal PipelineRecovered, decimal RevenueRecovered);

    public sealed record Week(DateOnly Start, long Entered, long Revived);

    public sealed record ReportDto(DateTimeOffset From, DateTimeOffset To, string By, Line Total, IReadOnlyList<Line> Lines, IReadOnlyList<Week> Weeks);

    private sealed class Row
    {
        public long Id { get; set; }
        public string RuleName { get; set; } = "";
        public string? ProgramName { get; set; }
        public string? Source { get; set; }
        public string? RepName { get; set; }
        public long DetectedAt { get; set; }
        public long? RevivedAt { get; set; }
        public long? AcceptedAt { get; set; }
        public long? WonAt { get; set; }
        public long? Pipeline { get; set; }
        public long? Revenue { get; set; }
    }

    public static async Task<Results<Ok<ReportDto>, FileContentHttpResult, ValidationProblem>> Handle(DateTimeOffset? from, DateTimeOffset? to, string? by,
        string? format, Database db, TimeProvider clock, CancellationToken ct)
    {
        by ??= "rule";
        if (!Groupings.Contains(by)) return Problems.Field("by", $"One of: {string.Join(", ", Groupings)}.");
        if (format is not (null or "json" or "csv")) return Problems.Field("format", "json or csv.");
        var end = to ?? clock.GetUtcNow();
        var start = from ?? end.AddDays(-90);
        if (start >= end) return Problems.Field("from", "The period's start must be before its end.");
        var report = await db.ReadAsync(c => BuildAsync(c, start, end, by), ct);
        if (format == "csv")
            return TypedResults.File(Encoding.UTF8.GetBytes(Csv(report)), "text/csv; charset=utf-8", $"revival-by-{by}.csv");
        return TypedResults.Ok(report);
    }

    public static async Task<ReportDto> BuildAsync(DbConnection c, DateTimeOffset from, DateTimeOffset to, string by)
    {
        var rows = (await c.QueryAsync<Row>(
            "SELECT r.id, r.rule_name, np.name AS program_name, r.source, COALESCE(r.owner_name, u.name) AS rep_name, r.detected_at, r.revived_at, " +
            "(SELECT MIN(s.changed_at) FROM stage_changes s WHERE s.person_id = r.person_id AND s.to_stage = 'SAL' AND s.changed_at >= r.revived_at) AS accepted_at, " +
            "(SELECT MIN(s.changed_at) FROM stage_changes s WHERE s.person_id = r.person_id AND s.to_stage = 'Customer' AND s.changed_at >= r.revived_at) AS won_at, " +
            "(SELECT SUM(d.amount_cents) FROM dispositions d WHERE d.person_id = r.person_id AND d.kind = 'opportunity' AND d.decided_at >= r.revived_at) AS pipeline, " +
            "(SELECT SUM(d.amount_cents) FROM dispositions d WHERE d.person_id = r.person_id AND d.kind = 'won' AND d.decided_at >= r.revived_at) AS revenue " +
            "FROM stall_records r LEFT JOIN nurture_programs np ON np.id = r.program_id LEFT JOIN users u ON u.id = r.owner_id " +
            "WHERE r.detected_at >= @from AND r.detected_at < @to",
            new { from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds() })).ToList();
        string KeyOf(Row r) => by switch
        {
            "program" => r.ProgramName ?? "(no program)",
            "source" => r.Source ?? "(unknown source)",
            "rep" => r.RepName ?? "(unassigned)",
            _ => r.RuleName,
        };
        var lines = rows.GroupBy(KeyOf).Select(g => LineOf(g.Key, g.ToList())).OrderByDescending(l => l.Entered).ThenBy(l => l.Key, StringComparer.Ordinal).ToList();
        var weeks = rows.GroupBy(r => WeekStart(r.DetectedAt)).OrderBy(g => g.Key)
            .Select(g => new Week(g.Key, g.LongCount(), g.LongCount(r => r.RevivedAt is not null))).ToList();
        return new ReportDto(from, to, by, LineOf("Total", rows), lines, weeks);
    }

    private static Line LineOf(string key, List<Row> rows)
    {
        var revived = rows.Where(r => r.RevivedAt is not null).ToList();
        return new Line(key, rows.Count, revived.Count, rows.Count == 0 ? 0 : Math.Round((double)revived.Count / rows.Count, 4),
            revived.Count == 0 ? null : Math.Round(revived.Average(r => (r.RevivedAt!.Value - r.DetectedAt) / 3_600_000d), 1),
            revived.Count(r => r.AcceptedAt is not null), revived.Count(r => r.WonAt is not null),
            revived.Sum(r => r.Pipeline ?? 0) / 100m, revived.Sum(r => r.Revenue ?? 0) / 100m);
    }

    private static DateOnly WeekStart(long ms)
    {
        var day = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    public static string Csv(ReportDto report) => CsvTable.Text(
        [report.By, "entered", "revived", "revival_rate", "avg_hours_to_revive", "accepted_after", "won_after", "pipeline_recovered", "revenue_recovered"],
        report.Lines.Append(report.Total).Select(l => (object?[])[l.Key, l.Entered, l.Revived, l.RevivalRate, l.AvgHoursToRevive, l.AcceptedAfter,
            l.WonAfter, l.PipelineRecovered, l.RevenueRecovered]));
}

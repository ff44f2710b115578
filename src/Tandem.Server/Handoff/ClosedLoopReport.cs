using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Handoff;

/// <summary>
/// GET /api/v1/reports/closed-loop: what sales did with marketing's leads, grouped by source (first-touch channel),
/// campaign (first-touch campaign) or persona — acceptances, rejections and their reasons, pipeline, wins and losses.
/// Each disposition is counted under the source, campaign and personas the lead had when it was recorded.
/// </summary>
internal static class ClosedLoopReport
{
    public sealed record GroupDto(string Key, int Leads, int Accepted, int Rejected, double? AcceptanceRate, int Qualified, int Opportunities, int Won,
        int Lost, decimal PipelineAmount, decimal WonAmount, IReadOnlyDictionary<string, int> RejectReasons, IReadOnlyDictionary<string, int> LostReasons);

    public sealed record ReportDto(string By, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<GroupDto> Groups, GroupDto Total);

    private static readonly string[] Groupings = ["source", "campaign", "persona"];

    public static async Task<Results<Ok<ReportDto>, ValidationProblem>> Handle(string? by, DateTimeOffset? from, DateTimeOffset? to, Database db,
        CancellationToken ct)
    {
        by = (by ?? "source").Trim().ToLowerInvariant();
        if (!Groupings.Contains(by)) return Problems.Field("by", $"Group by one of: {string.Join(", ", Groupings)}.");
        if (from is not null && to is not null && to <= from) return Problems.Field("to", "Must be after from.");
        var rows = (await db.ReadAsync(c => c.QueryAsync<Dispositions.Row>(
            "SELECT * FROM dispositions WHERE (@fromMs IS NULL OR decided_at >= @fromMs) AND (@toMs IS NULL OR decided_at < @toMs) ORDER BY id",
            new { fromMs = from?.ToUnixTimeMilliseconds(), toMs = to?.ToUnixTimeMilliseconds() }), ct)).ToList();

        IEnumerable<string> KeysOf(Dispositions.Row r) => by switch
        {
            "campaign" => [r.Campaign ?? "(no campaign)"],
            "persona" => Json.Read(r.Personas, new List<string>()) is { Count: > 0 } personas ? personas : ["(no persona)"],
            _ => [r.SourceChannel ?? "(unknown source)"],
        };

        var groups = rows.SelectMany(r => KeysOf(r).Select(k => (Key: k, Row: r)))
            .GroupBy(x => x.Key)
            .Select(g => Summarize(g.Key, g.Select(x => x.Row).ToList()))
            .OrderByDescending(g => g.Leads).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new ReportDto(by, from, to, groups, Summarize("all", rows)));
    }

    private static GroupDto Summarize(string key, IReadOnlyList<Dispositions.Row> rows)
    {
        int Count(string kind) => rows.Count(r => r.Kind == kind);
        decimal Sum(string kind) => rows.Where(r => r.Kind == kind).Sum(r => (r.AmountCents ?? 0) / 100m);
        IReadOnlyDictionary<string, int> Reasons(string kind) => rows.Where(r => r.Kind == kind && r.ReasonCode is not null)
            .GroupBy(r => r.ReasonCode!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        var (accepted, rejected) = (Count(DispositionKinds.Accepted), Count(DispositionKinds.Rejected));
        return new GroupDto(key, rows.Select(r => r.PersonId).Distinct().Count(), accepted, rejected,
            accepted + rejected == 0 ? null : Math.Round((double)accepted / (accepted + rejected), 4), Count(DispositionKinds.Qualified),
            Count(DispositionKinds.Opportunity), Count(DispositionKinds.Won), Count(DispositionKinds.Lost), Sum(DispositionKinds.Opportunity),
            Sum(DispositionKinds.Won), Reasons(DispositionKinds.Rejected), Reasons(DispositionKinds.Lost));
    }
}

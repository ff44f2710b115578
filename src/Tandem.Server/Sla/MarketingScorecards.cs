using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Sla;
using Tandem.Server.Hosting;
using Tandem.Server.Planning;
using Tandem.Server.Storage;

namespace Tandem.Server.Sla;

internal sealed record ReasonCountDto(string Stage, string? ReasonCode, int Count);

/// <param name="AcceptanceRate">accepted / (accepted + rejected) of sales' decisions on MQLs in the month.</param>
internal sealed record MarketingScoreDto(int Mqls, int Accepted, int Rejected, double? AcceptanceRate, IReadOnlyList<ReasonCountDto> RejectionReasons);

/// <param name="Origin">hand (a commitment typed in the service levels) or plan (set by the active plan covering the month).</param>
/// <param name="PlanId">The plan that set it, for origin plan.</param>
/// <param name="VolumeMet">The whole month's MQL commitment has been delivered.</param>
/// <param name="ExpectedToDate">The commitment pro rata to the time gone in the month: what should be delivered by now.</param>
/// <param name="Pace">met (the whole commitment is delivered), on_pace or behind (a month in progress), short (a month over).</param>
internal sealed record CommitmentScoreDto(long Id, string Name, IReadOnlyList<string> Sources, int MinimumMqlsPerMonth, int MinimumAcceptancePercent,
    MarketingScoreDto Actual, bool VolumeMet, bool? AcceptanceMet, string Origin = "hand", long? PlanId = null, int ExpectedToDate = 0, string Pace = "");

internal sealed record MarketingScorecardDto(string Month, DateTimeOffset From, DateTimeOffset To, MarketingScoreDto Overall, IReadOnlyList<CommitmentScoreDto> Commitments);

/// <summary>
/// GET /api/v1/sla/scorecards/marketing?month=YYYY-MM: marketing's side — MQLs delivered in the (UTC) month against each
/// commitment, and what sales decided about MQLs that month: accepted (SAL or further) or rejected (Recycled / Disqualified) with the reasons.
/// </summary>
internal static class MarketingScorecards
{
    private static readonly string[] AcceptedStages = ["SAL", "SQL", "Opportunity", "Customer"];

    public static async Task<Results<Ok<MarketingScorecardDto>, ValidationProblem>> Handle(string? month, Database db, TimeProvider clock, CancellationToken ct)
    {
        DateTime first;
        if (month is null) { var now = clock.GetUtcNow().UtcDateTime; first = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc); }
        else if (!DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out first))
            return Problems.Field("month", "Must be a month as YYYY-MM, e.g. 2026-11.");
        var from = new DateTimeOffset(first, TimeSpan.Zero);
        var to = from.AddMonths(1);

        var result = await db.ReadAsync(async c =>
        {
            var overall = await ScoreAsync(c, from, to, []);
            var commitments = new List<CommitmentScoreDto>();
            foreach (var row in await c.QueryAsync<CommitmentRow>("SELECT * FROM sla_marketing_commitments WHERE active = 1 ORDER BY id"))
            {
                var sources = row.SourceList;
                var actual = sources.Count == 0 ? overall : await ScoreAsync(c, from, to, sources);
                var verdict = MarketingScorecard.Score(new MarketingCommitment((int)row.MinimumMqlsPerMonth, row.MinimumAcceptancePercent / 100.0),
                    actual.Mqls, actual.Accepted, actual.Rejected);
                var pace = MarketingScorecard.Pace((int)row.MinimumMqlsPerMonth, actual.Mqls, from, to, clock.GetUtcNow());
                commitments.Add(new CommitmentScoreDto(row.Id, row.Name, sources, (int)row.MinimumMqlsPerMonth, (int)row.MinimumAcceptancePercent,
                    actual, verdict.VolumeMet, verdict.AcceptanceMet, ExpectedToDate: pace.ExpectedToDate, Pace: PaceWord(verdict.VolumeMet, pace)));
            }
            // An active plan covering the month sets marketing's MQL commitment from its own figures, beside any typed by hand.
            if (await PlanCommitments.ForMonthAsync(c, from, clock.GetUtcNow()) is { } plan)
            {
                var verdict = MarketingScorecard.Score(new MarketingCommitment(plan.MinimumMqls, plan.MinimumAcceptancePercent / 100.0),
                    overall.Mqls, overall.Accepted, overall.Rejected);
                var pace = MarketingScorecard.Pace(plan.MinimumMqls, overall.Mqls, from, to, clock.GetUtcNow());
                commitments.Add(new CommitmentScoreDto(0, $"Plan: {plan.PlanName}", [], plan.MinimumMqls, plan.MinimumAcceptancePercent, overall,
                    verdict.VolumeMet, verdict.AcceptanceMet, "plan", plan.PlanId, pace.ExpectedToDate, PaceWord(verdict.VolumeMet, pace)));
            }
            return new MarketingScorecardDto(from.ToString("yyyy-MM"), from, to, overall, commitments);
        }, ct);
        return TypedResults.Ok(result);
    }

    private static string PaceWord(bool met, MonthPace pace) => met ? "met" : pace.MonthOver ? "short" : pace.OnPace ? "on_pace" : "behind";

    private static async Task<MarketingScoreDto> ScoreAsync(DbConnection c, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string> sources)
    {
        var args = new { f = from.ToUnixTimeMilliseconds(), t = to.ToUnixTimeMilliseconds(), sources = sources.Select(x => x.ToLowerInvariant()).ToArray() };
        var bySource = sources.Count == 0 ? "" : " AND " + Sql.In(c, "LOWER(p.first_touch_channel)", "@sources");
        var mqls = await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(DISTINCT sc.person_id) FROM stage_changes sc JOIN people p ON p.id = sc.person_id " +
            "WHERE sc.to_stage = 'MQL' AND sc.changed_at >= @f AND sc.changed_at < @t" + bySource, args);
        var decisions = (await c.QueryAsync<(string Stage, string? Reason, long Count)>(
            "SELECT sc.to_stage, sc.reason_code, COUNT(*) FROM stage_changes sc JOIN people p ON p.id = sc.person_id " +
            "WHERE sc.from_stage = 'MQL' AND sc.changed_at >= @f AND sc.changed_at < @t" + bySource +
            " GROUP BY sc.to_stage, sc.reason_code", args)).ToList();
        var accepted = (int)decisions.Where(d => AcceptedStages.Contains(d.Stage)).Sum(d => d.Count);
        var rejected = (int)decisions.Where(d => d.Stage is "Recycled" or "Disqualified").Sum(d => d.Count);
        // The reasons are every one sales gave for turning a lead back in the month: rejecting an MQL, and recycling or
        // disqualifying a lead it had accepted (SAL) — "no response" after the attempts is a recycle, not a rejection,
        // and is the reason marketing most needs to see. Moves made by programs and rules are not sales' reasons.
        var reasons = (await c.QueryAsync<(string Stage, string? Reason, long Count)>(
            "SELECT sc.to_stage, sc.reason_code, COUNT(*) FROM stage_changes sc JOIN people p ON p.id = sc.person_id " +
            "WHERE sc.from_stage IN ('MQL', 'SAL') AND sc.to_stage IN ('Recycled', 'Disqualified') AND sc.actor_type IN ('User', 'ApiKey') " +
            "AND sc.changed_at >= @f AND sc.changed_at < @t" + bySource + " GROUP BY sc.to_stage, sc.reason_code", args)).ToList();
        var rejections = reasons.Select(d => new ReasonCountDto(d.Stage, d.Reason, (int)d.Count)).OrderByDescending(r => r.Count).ThenBy(r => r.ReasonCode).ToList();
        var score = MarketingScorecard.Score(new MarketingCommitment(0, 0), (int)mqls, accepted, rejected);
        return new MarketingScoreDto((int)mqls, accepted, rejected, score.AcceptanceRate is { } r ? Math.Round(r, 4) : null, rejections);
    }
}

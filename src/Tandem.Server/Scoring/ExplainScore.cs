using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Scoring;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Scoring;

/// <summary>GET /api/v1/people/{id}/score: the score now, explained down to each point and what decay and caps did to it.</summary>
internal static class ExplainScore
{
    public sealed record FitDto(int Score, string Grade, GradeThresholds Thresholds, IReadOnlyList<string> Personas, IReadOnlyList<FitPoint> Points);

    public sealed record EngagementDto(int Score, double Raw, double Scale, IReadOnlyList<EngagementAward> Awards);

    public sealed record ExplanationDto(long PersonId, long ModelVersion, string ModelName, DateTimeOffset At, FitDto Fit,
        EngagementDto Engagement, string Cell, bool MeetsMql, string? MqlClauseMet, string MqlDefinition, string Stage);

    public static async Task<Results<Ok<ExplanationDto>, ProblemHttpResult>> Handle(long id, Database db, PersonScorer scorer, CancellationToken ct)
    {
        var result = await db.ReadAsync<(bool Found, PersonScorer.Scored? Scored)>(async c =>
        {
            var person = await PersonStore.FindLiveAsync(c, null, id);
            if (person is null) return (false, null);
            return (true, await scorer.ComputeAsync(c, null, person.Id, explain: true));
        }, ct);
        if (!result.Found) return Problems.NotFound("Person", id);
        if (result.Scored is not { } s)
            return TypedResults.Problem(statusCode: 404, title: "No scoring model is published.", detail: "Publish one with POST /api/v1/scoring/models.");
        var m = s.Model.Model;
        return TypedResults.Ok(new ExplanationDto(s.Subject.Id, s.Model.Version, m.Name, DateTimeOffset.FromUnixTimeMilliseconds(s.Now),
            new FitDto(s.Score.Fit.Score, s.Score.Fit.Grade, m.Grades, s.Score.Fit.Personas, s.Score.Fit.Points),
            new EngagementDto(s.Score.Engagement.Normalized, Math.Round(s.Score.Engagement.Raw, 2), m.EngagementScale, s.Score.Engagement.Awards),
            s.Score.Cell, s.Score.MeetsMql, s.Score.MqlClause?.ToString(), m.Mql.ToString(), s.Subject.Stage));
    }

    public sealed record HistoryDto(DateTimeOffset At, long Fit, string Grade, long Engagement, string Cell, bool MeetsMql, long ModelVersion, string Cause);

    /// <summary>GET /api/v1/people/{id}/score/history: how the score moved over time, oldest first.</summary>
    public static async Task<Results<Ok<IReadOnlyList<HistoryDto>>, ProblemHttpResult>> History(long id, Database db, CancellationToken ct)
    {
        var rows = await db.ReadAsync(async c =>
        {
            var person = await PersonStore.FindLiveAsync(c, null, id);
            if (person is null) return null;
            return (await c.QueryAsync<(long At, long Fit, string Grade, long Engagement, string Cell, long MeetsMql, long Version, string Cause)>(
                "SELECT at, fit_score, fit_grade, engagement_score, score_cell, meets_mql, model_version, cause FROM score_history " +
                "WHERE person_id = @Id ORDER BY at, id", new { person.Id })).ToList();
        }, ct);
        if (rows is null) return Problems.NotFound("Person", id);
        return TypedResults.Ok<IReadOnlyList<HistoryDto>>(rows.Select(r => new HistoryDto(DateTimeOffset.FromUnixTimeMilliseconds(r.At), r.Fit, r.Grade,
            r.Engagement, r.Cell, r.MeetsMql != 0, r.Version, r.Cause)).ToList());
    }
}

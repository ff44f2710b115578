using System.Data.Common;
using System.Text.Json;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Scoring;
using Tandem.Server.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Scoring;

/// <summary>
/// Writes a person's new score in the caller's transaction: the score columns (one UPDATE, so nobody is
/// ever seen half-scored), a history row when something a person would notice changed, and — when the
/// person first meets the MQL definition — the move to MQL, which happens in the same transaction as
/// the event that caused it and names the rule and model version.
/// </summary>
internal sealed class ScoreWriter(MoveStage moveStage)
{
    /// <summary>Stages from which meeting the MQL definition moves a person to MQL.</summary>
    private static readonly Stage[] PreMql = [Stage.Subscriber, Stage.Lead, Stage.Recycled];

    public const string UpdateSql =
        "UPDATE people SET fit_score = @Fit, fit_grade = @Grade, engagement_score = @Engagement, score_cell = @Cell, personas = @Personas, " +
        "meets_mql = @MeetsMql, score_model_version = @Version, scored_at = @Now, score_state = @State, score_through = @Through WHERE id = @Id";

    public const string HistorySql =
        "INSERT INTO score_history (person_id, at, fit_score, fit_grade, engagement_score, score_cell, meets_mql, model_version, cause) " +
        "VALUES (@Id, @Now, @Fit, @Grade, @Engagement, @Cell, @MeetsMql, @Version, @Cause)";

    /// <summary>The values written for one person.</summary>
    public sealed record Row(long Id, long Fit, string Grade, long Engagement, string Cell, string Personas, long MeetsMql,
        long Version, long Now, string State, long? Through, string Cause);

    public static Row ToRow(ScoringSubject s, Score score, long version, long now, long? through, string cause) => new(
        s.Id, score.Fit.Score, score.Fit.Grade, score.Engagement.Normalized, score.Cell,
        PersonaJson(score.Fit.Personas), score.MeetsMql ? 1 : 0, version, now, State(score.Engagement.Decay), through, cause);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> PersonaJsonCache = new();

    /// <summary>The personas column; few distinct combinations exist, so their JSON is made once each.</summary>
    public static string PersonaJson(IReadOnlyList<string> personas) => personas.Count == 0 ? "[]"
        : PersonaJsonCache.Count > 10_000 ? JsonSerializer.Serialize(personas)
        : PersonaJsonCache.GetOrAdd(string.Join('\u001f', personas), _ => JsonSerializer.Serialize(personas));

    /// <summary>The decay state as [[halfLifeDays, rawPoints], …] (written by hand: this runs a million times in a re-score).</summary>
    public static string State(IEnumerable<KeyValuePair<double, double>> decay)
    {
        var text = new System.Text.StringBuilder("[");
        foreach (var d in decay)
        {
            if (text.Length > 1) text.Append(',');
            text.Append('[').Append(d.Key.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(',')
                .Append(Math.Round(d.Value, 4).ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(']');
        }
        return text.Append(']').ToString();
    }

    public static IReadOnlyList<KeyValuePair<double, double>> ReadState(string? state) =>
        string.IsNullOrEmpty(state) ? [] : (JsonSerializer.Deserialize<double[][]>(state) ?? []).Select(p => KeyValuePair.Create(p[0], p[1])).ToList();

    /// <summary>A change worth a history row: grade, cell or MQL status, or 5+ points of fit or engagement.</summary>
    public static bool IsNoticeable(ScoringSubject before, Row after) =>
        before.ScoreModelVersion is null || before.FitGrade != after.Grade || before.ScoreCell != after.Cell ||
        before.MeetsMql != after.MeetsMql || Math.Abs((before.FitScore ?? 0) - after.Fit) >= 5 ||
        Math.Abs((before.EngagementScore ?? 0) - after.Engagement) >= 5;

    /// <summary>Whether this score moves the person to MQL now: they newly meet the definition from a pre-MQL stage.</summary>
    public static bool QualifiesNow(ScoringSubject before, Score score) =>
        score.MeetsMql && before.MeetsMql == 0 && Enum.TryParse<Stage>(before.Stage, out var stage) && PreMql.Contains(stage);

    /// <returns>True when the person moved to MQL.</returns>
    public async Task<bool> WriteAsync(DbConnection c, DbTransaction tx, ScoringSubject before, Score score, CompiledModel model,
        long now, long? through, string cause)
    {
        var row = ToRow(before, score, model.Version, now, through, cause);
        await c.ExecuteAsync(UpdateSql, row, tx);
        if (IsNoticeable(before, row))
        {
            await c.ExecuteAsync(HistorySql, row, tx);
            if (before.ScoreModelVersion is not null)
                await Notifications.PersonWebhooks.AddIfSubscribedAsync(c, tx, Notifications.PersonWebhooks.ScoreChanged, before.Id, p => new
                {
                    person = Notifications.LeadPayload.Person(p),
                    from = new { fit = before.FitScore, grade = before.FitGrade, engagement = before.EngagementScore, cell = before.ScoreCell, meetsMql = before.MeetsMql == 1 },
                    to = new { fit = row.Fit, grade = row.Grade, engagement = row.Engagement, cell = row.Cell, meetsMql = row.MeetsMql == 1 },
                    cause,
                    modelVersion = model.Version,
                    at = DateTimeOffset.FromUnixTimeMilliseconds(now),
                }, now);
        }
        return QualifiesNow(before, score) && await MoveToMqlAsync(c, tx, before.Id, score, model, now);
    }

    public async Task<bool> MoveToMqlAsync(DbConnection c, DbTransaction tx, long personId, Score score, CompiledModel model, long now)
    {
        var person = await PersonStore.FindAsync(c, tx, personId, forUpdate: true);
        if (person is null) return false;
        var rule = Actor.Rule($"mql-definition-v{model.Version}", $"MQL definition (scoring model v{model.Version})");
        var why = $"Met the MQL definition of scoring model v{model.Version} '{model.Model.Name}': {score.MqlClause}. " +
                  $"Grade {score.Fit.Grade} (fit {score.Fit.Score}), engagement {score.Engagement.Normalized}, cell {score.Cell}.";
        var decision = await moveStage.MoveAsync(c, tx, person, new StageMove(Stage.MQL, rule, now, "mql-definition", why, Snapshot(score, model.Version)));
        return decision.IsAllowed;
    }

    /// <summary>The scores recorded with a stage change.</summary>
    public static string Snapshot(Score score, long version) => Json.Write(new
    {
        fit = score.Fit.Score, grade = score.Fit.Grade, engagement = score.Engagement.Normalized, cell = score.Cell,
        meetsMql = score.MeetsMql, personas = score.Fit.Personas, modelVersion = version,
    });
}

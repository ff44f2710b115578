using System.Data.Common;
using Dapper;
using Tandem.Domain.Scoring;

namespace Tandem.Server.Scoring;

/// <summary>Scores one person from their stored facts, inside the caller's transaction.</summary>
internal sealed class PersonScorer(ScoringModels models, ScoreWriter writer, TimeProvider clock)
{
    public sealed record Scored(ScoringSubject Subject, Score Score, CompiledModel Model, long Now, long? Through);

    /// <summary>Computes the person's score now (with explanations when asked), without writing it.</summary>
    public async Task<Scored?> ComputeAsync(DbConnection c, DbTransaction? tx, long personId, bool explain = false, CompiledModel? model = null,
        ScoringSubject? subject = null)
    {
        model ??= await models.ActiveAsync(c, tx);
        if (model is null) return null;
        subject ??= await ScoringSubject.LoadAsync(c, tx, personId);
        if (subject is null) return null;
        var (hits, through) = await HitsAsync(c, tx, model, personId, after: null);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var score = Scorer.Score(model.Model, subject.Fields(model.ReadsCustomFields), hits, now, explain);
        return new Scored(subject, score, model, now, through);
    }

    /// <summary>Re-scores the person from all their activities and writes the result; true when they moved to MQL.</summary>
    /// <param name="subject">The person as already loaded in this transaction, to save reading them again.</param>
    public async Task<bool> RescoreAsync(DbConnection c, DbTransaction tx, long personId, string cause, CompiledModel? model = null,
        ScoringSubject? subject = null)
    {
        var scored = await ComputeAsync(c, tx, personId, model: model, subject: subject);
        if (scored is null) return false;
        return await writer.WriteAsync(c, tx, scored.Subject, scored.Score, scored.Model, scored.Now,
            scored.Through ?? scored.Subject.ScoreThrough, cause);
    }

    /// <summary>
    /// Re-scores only the fit side (the profile changed), carrying the stored engagement forward in time
    /// instead of reading every activity again.
    /// </summary>
    public async Task<bool> RescoreFitAsync(DbConnection c, DbTransaction tx, ScoringSubject subject, CompiledModel model, string cause)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var engagement = EngagementResult.Carried(ScoreWriter.ReadState(subject.ScoreState), subject.ScoredAt ?? now, now, model.Model.EngagementScale);
        var score = Scorer.Combine(model.Model, FitScorer.Score(model.Model, subject.Fields(model.ReadsCustomFields)), engagement);
        return await writer.WriteAsync(c, tx, subject, score, model, now, subject.ScoreThrough, cause);
    }

    /// <summary>The rule hits among a person's activities (those after an activity id, when given), and the newest id seen.</summary>
    public static async Task<(List<RuleHit> Hits, long? Through)> HitsAsync(DbConnection c, DbTransaction? tx, CompiledModel model,
        long personId, long? after)
    {
        var rows = await c.QueryAsync<ActivityRow>(
            "SELECT a.id, a.occurred_at, a.signature, a.type, a.channel, " +
            "CASE WHEN a.signature IS NULL THEN a.properties END AS properties, " +
            "CASE WHEN a.signature IS NULL THEN m.utm_campaign END AS campaign " +
            "FROM activities a LEFT JOIN campaigns m ON a.signature IS NULL AND m.id = a.campaign_id " +
            "WHERE a.person_id = @personId AND a.id > @after", new { personId, after = after ?? 0 }, tx);
        var hits = new List<RuleHit>();
        long? through = null;
        foreach (var a in rows)
        {
            through = Math.Max(through ?? 0, a.Id);
            var rules = a.Signature is { } sig ? await model.HitsAsync(c, tx, sig) : model.HitsOf(a.Type, a.Channel, a.Campaign, a.Properties ?? "{}");
            foreach (var r in rules) hits.Add(new RuleHit(r, a.OccurredAt, a.Id));
        }
        return (hits, through);
    }

    private sealed class ActivityRow
    {
        public long Id { get; set; }
        public long OccurredAt { get; set; }
        public long? Signature { get; set; }
        public string Type { get; set; } = "";
        public string? Channel { get; set; }
        public string? Properties { get; set; }
        public string? Campaign { get; set; }
    }
}

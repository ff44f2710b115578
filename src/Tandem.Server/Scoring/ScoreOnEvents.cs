using System.Data.Common;
using Dapper;
using Tandem.Server.People;

namespace Tandem.Server.Scoring;

/// <summary>
/// Live scoring: as activities arrive (tracking, API, forms, import) and profiles change, the people
/// concerned are re-scored in the same transaction, so a visitor crosses the MQL line the moment they earn it.
/// </summary>
internal sealed class ScoreOnEvents(ScoringModels models, PersonScorer scorer) : IPersonEventHandler
{
    public async Task OnActivitiesAppendedAsync(DbConnection c, DbTransaction tx, ActivitiesAppended e)
    {
        var model = await models.ActiveAsync(c, tx);
        if (model is null) return;
        foreach (var personId in e.PersonIds)
        {
            var subject = await ScoringSubject.LoadAsync(c, tx, personId);
            if (subject is null) continue;
            if (subject.ScoreModelVersion != model.Version)
            {
                await scorer.RescoreAsync(c, tx, personId, "activity", model, subject);
                continue;
            }
            // Only activities that earn (or cost) points change the score; the rest just advance the watermark.
            var (hits, through) = await PersonScorer.HitsAsync(c, tx, model, personId, subject.ScoreThrough);
            if (hits.Count > 0) await scorer.RescoreAsync(c, tx, personId, "activity", model, subject);
            else if (through is { } t)
                await c.ExecuteAsync("UPDATE people SET score_through = @t WHERE id = @personId", new { t, personId }, tx);
        }
    }

    public async Task OnProfileChangedAsync(DbConnection c, DbTransaction tx, ProfileChanged e)
    {
        var personId = e.PersonId;
        var model = await models.ActiveAsync(c, tx);
        if (model is null) return;
        var subject = await ScoringSubject.LoadAsync(c, tx, personId);
        if (subject is null) return;
        if (subject.ScoreModelVersion != model.Version || e.Changed.Contains("merged"))
            await scorer.RescoreAsync(c, tx, personId, "profile", model, subject);
        else
            await scorer.RescoreFitAsync(c, tx, subject, model, "profile");
    }
}

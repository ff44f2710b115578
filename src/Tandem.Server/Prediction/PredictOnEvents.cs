using System.Data.Common;
using Tandem.Server.People;

namespace Tandem.Server.Prediction;

/// <summary>
/// Keeps each person's conversion probability current: when their profile, stage or activities change, their
/// prediction is recomputed under the active model in the same transaction. Without an active model it does nothing.
/// </summary>
internal sealed class PredictOnEvents(PredictionModels models, PredictionOptions options, TimeProvider clock) : IPersonEventHandler
{
    public Task OnActivitiesAppendedAsync(DbConnection c, DbTransaction tx, ActivitiesAppended e) => PredictAsync(c, tx, e.PersonIds);

    public Task OnProfileChangedAsync(DbConnection c, DbTransaction tx, ProfileChanged e) => PredictAsync(c, tx, [e.PersonId]);

    public Task OnStageChangedAsync(DbConnection c, DbTransaction tx, StageChanged e) => PredictAsync(c, tx, [e.PersonId]);

    private async Task PredictAsync(DbConnection c, DbTransaction tx, IReadOnlyCollection<long> personIds)
    {
        if (personIds.Count == 0) return;
        var model = await models.ActiveAsync(c, tx);
        if (model is null) return;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var subjects = await PredictionData.LoadAsync(c, tx, options, personIds.ToArray());
        var predictions = Predictor.Predict(model, subjects.Select(s => s.Snapshot).ToList(), _ => now);
        await Predictor.WriteAsync(c, tx, model.Version, predictions, now);
    }
}

using Tandem.Server.Storage;

namespace Tandem.Server.Prediction;

/// <summary>After a model is activated (trained or rolled back to), everyone's probability and reasons are rewritten under it.</summary>
internal sealed class PredictEveryone(Database db, PredictionModels models, PredictionOptions options, TimeProvider clock)
{
    private const int Batch = 1000;

    /// <returns>How many people were predicted.</returns>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var model = await db.ReadAsync(c => models.ActiveAsync(c), ct);
        if (model is null) return 0;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var subjects = await db.ReadAsync(c => PredictionData.LoadAllAsync(c, null, options), ct);
        foreach (var chunk in subjects.Chunk(Batch))
        {
            var predictions = Predictor.Predict(model, chunk.Select(s => s.Snapshot).ToList(), _ => now);
            await db.WriteAsync((c, tx) => Predictor.WriteAsync(c, tx, model.Version, predictions, now), ct);
        }
        return subjects.Count;
    }
}

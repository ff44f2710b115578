namespace Tandem.Server.Prediction;

/// <summary>
/// Weekly retraining (Tandem:Prediction:RetrainDays, default 7; 0 turns it off): once a model exists, a new one is trained
/// when the newest is older than that. The new one activates only if it beats the active one, as by command.
/// </summary>
internal sealed class PredictionScheduler(TrainPrediction train, PredictionModels models, Storage.Database db, PredictionOptions options,
    TimeProvider clock, ILogger<PredictionScheduler> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.RetrainDays <= 0) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var newest = (await db.ReadAsync(c => models.ListAsync(c), stoppingToken)).FirstOrDefault();
                if (newest is not null && clock.GetUtcNow() - newest.CreatedAt >= TimeSpan.FromDays(options.RetrainDays))
                {
                    var outcome = await train.RunAsync(new TrainRequest(), "weekly retraining", stoppingToken);
                    log.LogInformation("Scheduled retraining: {Verdict}", outcome.Verdict);
                }
                await Task.Delay(TimeSpan.FromHours(1), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex)
            {
                log.LogError(ex, "Scheduled retraining failed; trying again in an hour.");
                await Task.Delay(TimeSpan.FromHours(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}

using Tandem.Server.Storage;

namespace Tandem.Server.Import;

/// <summary>
/// Runs queued imports in the background, one at a time per server. Claims go through the database, so
/// several servers sharing PostgreSQL never run one job twice, and a job whose runner died (its lease ran
/// out) is picked up again and resumed from its checkpoint.
/// </summary>
internal sealed class ImportWorker(Database db, ImportRunner runner, ImportQueue queue, ImportSettings settings, TimeProvider clock, ILogger<ImportWorker> log) : BackgroundService
{
    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.RunJobs) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                var job = await db.WriteAsync((c, tx) => ImportJobStore.ClaimAsync(c, tx, owner, now, (long)ImportRunner.Lease.TotalMilliseconds), stoppingToken);
                if (job is not null) { await runner.RunAsync(job, owner, ct: stoppingToken); continue; }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) when (IsMissingSchema(e))
            {
                // The server migrates before it starts listening; a worker that raced ahead simply waits.
            }
            catch (Exception e)
            {
                log.LogError(e, "The import worker could not claim a job");
            }
            try { await queue.WaitAsync(TimeSpan.FromSeconds(2), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    private static bool IsMissingSchema(Exception e) =>
        e.Message.Contains("no such table", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("does not exist", StringComparison.OrdinalIgnoreCase);
}

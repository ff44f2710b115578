using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Scoring;

/// <summary>
/// Runs re-scores in the background and records their progress, so a publish answers at once and anyone can
/// watch it. A job interrupted by a restart is run again at start-up (re-scoring is idempotent).
/// </summary>
internal sealed class RescoreJobs(Database db, RescoreEveryone rescore, TimeProvider clock, ILogger<RescoreJobs> log)
{
    public sealed record Job(long Id, long ModelVersion, string Status, long Total, long Done, long MovedToMql,
        DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Error);

    private readonly Dictionary<long, Task> running = [];

    /// <param name="startedBy">The user who published the model, told when the re-score finishes.</param>
    public async Task<long> StartAsync(long version, CancellationToken ct = default, long? startedBy = null)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var id = await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<long>(
            "INSERT INTO rescore_jobs (model_version, status, started_at, started_by_user_id) VALUES (@version, 'running', @now, @startedBy) RETURNING id",
            new { version, now, startedBy }, tx), ct);
        Launch(id, version);
        return id;
    }

    /// <summary>Resumes jobs left running by a server that stopped.</summary>
    public async Task ResumeInterruptedAsync(CancellationToken ct = default)
    {
        var stale = await db.ReadAsync(async c => (await c.QueryAsync<(long Id, long ModelVersion)>(
            "SELECT id, model_version FROM rescore_jobs WHERE status = 'running'")).ToList(), ct);
        foreach (var (id, version) in stale) Launch(id, version);
    }

    /// <summary>Waits for a job this server runs (tests and the command line).</summary>
    public Task WaitAsync(long id)
    {
        lock (running) return running.TryGetValue(id, out var task) ? task : Task.CompletedTask;
    }

    public Task<Job?> GetAsync(long id, CancellationToken ct = default) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<JobRow>("SELECT * FROM rescore_jobs WHERE id = @id", new { id }), ct)
            .ContinueWith(t => t.Result?.ToJob(), ct);

    private void Launch(long id, long version)
    {
        var task = Task.Run(() => RunAsync(id, version));
        lock (running) running[id] = task;
    }

    private async Task RunAsync(long id, long version)
    {
        try
        {
            var model = await db.ReadAsync(async c =>
            {
                var definition = await c.QuerySingleAsync<string>("SELECT definition FROM scoring_models WHERE version = @version", new { version });
                return new CompiledModel(version, ScoringModels.Parse(definition));
            });
            var lastReport = 0L;
            var impact = await rescore.RunAsync(model, dryRun: false, progress: async p =>
            {
                if (p.Done - lastReport < 20_000 && p.Done < p.Total) return;
                lastReport = p.Done;
                await db.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE rescore_jobs SET total = @Total, done = @Done WHERE id = @id",
                    new { p.Total, p.Done, id }, tx));
            });
            await db.WriteAsync(async (c, tx) =>
            {
                var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                await c.ExecuteAsync(
                    "UPDATE rescore_jobs SET status = 'done', total = @People, done = @People, moved_to_mql = @MoveIntoMql, finished_at = @now WHERE id = @id",
                    new { impact.People, impact.MoveIntoMql, now, id }, tx);
                await NotifyFinishedAsync(c, tx, id, now);
            });
        }
        catch (Exception e)
        {
            log.LogError(e, "Re-scoring under model v{Version} failed", version);
            await db.WriteAsync(async (c, tx) =>
            {
                var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                await c.ExecuteAsync("UPDATE rescore_jobs SET status = 'failed', error = @error, finished_at = @now WHERE id = @id",
                    new { error = e.Message, now, id }, tx);
                await NotifyFinishedAsync(c, tx, id, now);
            });
        }
    }

    /// <summary>scoring.rescore_finished, for the user who published the model (webhooks hear of every re-score).</summary>
    private static async Task NotifyFinishedAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, long id, long now)
    {
        var job = await c.QuerySingleAsync<JobRow>("SELECT * FROM rescore_jobs WHERE id = @id", new { id }, tx);
        await Notifications.Outbox.AddAsync(c, tx, Notifications.InApp.InAppEvents.RescoreFinished, null, job.StartedByUserId, new
        {
            jobId = job.Id, modelVersion = job.ModelVersion, status = job.Status, people = job.Total, movedToMql = job.MovedToMql, error = job.Error,
            at = DateTimeOffset.FromUnixTimeMilliseconds(now),
        }, now);
    }

    private sealed class JobRow
    {
        public long Id { get; set; }
        public long ModelVersion { get; set; }
        public string Status { get; set; } = "";
        public long Total { get; set; }
        public long Done { get; set; }
        public long MovedToMql { get; set; }
        public long StartedAt { get; set; }
        public long? FinishedAt { get; set; }
        public string? Error { get; set; }
        public long? StartedByUserId { get; set; }

        public Job ToJob() => new(Id, ModelVersion, Status, Total, Done, MovedToMql, DateTimeOffset.FromUnixTimeMilliseconds(StartedAt),
            FinishedAt is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null, Error);
    }
}

using Dapper;
using Tandem.Domain.Import;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Identity;
using Tandem.Server.People;
using Tandem.Server.Storage;

using Tandem.Server.Lifecycle;

namespace Tandem.Server.Import;

/// <summary>A moment in a running import, for progress bars and GET /imports/{id}.</summary>
internal sealed record ImportProgress(long Rows, long Bytes, long TotalBytes, long Created, long Updated, long Unchanged, long Errors);

/// <summary>
/// Runs one import job from its checkpoint to the end of the file: maps and validates each row, then writes
/// the valid rows of a batch in one transaction together with the batch's errors and the new checkpoint.
/// A crash loses at most the batch in flight, which the next run repeats from the checkpoint.
/// </summary>
internal sealed class ImportRunner(Database db, Consequences consequences, ImportRowWriter writer, LifecycleSettings lifecycle, ImportUploads uploads, TimeProvider clock, ILogger<ImportRunner> log)
{
    public const int BatchSize = 500;
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public async Task<ImportJobRow> RunAsync(ImportJobRow job, string leaseOwner, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        try
        {
            return await RunCoreAsync(job, progress, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped (the server is shutting down): free the lease so the next start resumes at once.
            await db.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE import_jobs SET lease_until = NULL WHERE id = @Id AND lease_owner = @leaseOwner",
                new { job.Id, leaseOwner }, tx), CancellationToken.None);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Import job {JobId} failed", job.Id);
            await FinishAsync(job.Id, ImportStatus.Failed, e.Message);
            return (await db.ReadAsync(c => ImportJobStore.FindAsync(c, null, job.Id)))!;
        }
    }

    private async Task<ImportJobRow> RunCoreAsync(ImportJobRow job, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        if (!File.Exists(job.FilePath))
        {
            await FinishAsync(job.Id, ImportStatus.Failed, $"The uploaded file is no longer at {job.FilePath}.");
            return (await db.ReadAsync(c => ImportJobStore.FindAsync(c, null, job.Id), ct))!;
        }
        using var file = ImportFile.Open(job.FilePath);
        var (mapping, problems) = ImportMapping.Resolve(file.Headers, job.Preset, job.ParsedOverrides);
        if (mapping is null)
        {
            await FinishAsync(job.Id, ImportStatus.Failed, string.Join(" ", problems.Select(p => $"{p.Key}: {p.Value}")));
            return (await db.ReadAsync(c => ImportJobStore.FindAsync(c, null, job.Id), ct))!;
        }
        var firstSeen = await db.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT MIN(created_at) FROM import_jobs WHERE file_sha256 = @FileSha256", new { job.FileSha256 }), ct);
        await db.WriteAsync((c, tx) => ImportJobStore.SaveMappingAsync(c, tx, job.Id, mapping.Preset, Json.Write(mapping.Columns),
            TextEncodings.Name(file.Encoding), Delimiters.Name(file.Delimiter)), ct);

        var mapper = new RowMapper(mapping);
        file.SkipTo(job.RowsDone + 1);
        var totals = new ImportProgress(job.RowsDone, file.BytePosition, file.Length, job.CreatedCount, job.UpdatedCount, job.UnchangedCount, job.ErrorCount);
        var rows = new List<MappedRow>(BatchSize);
        var rowProblems = new List<RowProblem>();
        var more = true;
        while (more)
        {
            ct.ThrowIfCancellationRequested();
            rows.Clear(); rowProblems.Clear();
            var skipped = 0; var read = 0;
            while (read < BatchSize && (more = file.TryRead(out var cells)))
            {
                read++;
                var result = mapper.Map(file.RowNumber, cells);
                if (result.Skipped) skipped++;
                else if (result.Row is { } row && Validate(row) is { } problem) rowProblems.Add(problem);
                else if (result.Row is { } valid) rows.Add(valid);
                else rowProblems.AddRange(result.Problems);
            }
            if (read == 0) break;
            var now = clock.GetUtcNow();
            var ctx = new ImportContext(job.Id, job.FileName, job.Actor, DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(firstSeen, now.ToUnixTimeMilliseconds())), now);
            var badRows = rowProblems.Select(p => p.Row).Distinct().Count();
            var tally = await WriteBatchAsync(job.Id, rows, rowProblems, ctx, file.RowNumber - 1, file.BytePosition, skipped, badRows, ct);
            totals = totals with
            {
                Rows = file.RowNumber - 1, Bytes = file.BytePosition, Created = totals.Created + tally.Created, Updated = totals.Updated + tally.Updated,
                Unchanged = totals.Unchanged + tally.Unchanged, Errors = totals.Errors + tally.Errors,
            };
            progress?.Report(totals);
        }
        await FinishAsync(job.Id, ImportStatus.Completed, null);
        return (await db.ReadAsync(c => ImportJobStore.FindAsync(c, null, job.Id), ct))!;
    }

    /// <summary>Checks that need the server's settings, which the pure mapper does not know.</summary>
    private RowProblem? Validate(MappedRow row)
    {
        if (row.Stage is { } s && s.Stage.NeedsReason())
        {
            var reason = writer.ReasonFor(s);
            if (reason is null || !lifecycle.ReasonCodes.IsAllowed(s.Stage, reason))
                return new RowProblem(row.Row, null, s.ReasonCode, $"'{reason}' is not a reason code for {s.Stage}; use one of: {string.Join(", ", lifecycle.ReasonCodes.For(s.Stage))}.");
        }
        return null;
    }

    private async Task<BatchTally> WriteBatchAsync(long jobId, List<MappedRow> rows, List<RowProblem> problems, ImportContext ctx,
        long rowsDone, long bytesDone, int skipped, int badRows, CancellationToken ct)
    {
        try
        {
            return await consequences.WriteAsync(async (c, tx) =>
            {
                var w = await writer.WriteAsync(c, tx, rows, ctx);
                var tally = new BatchTally(rowsDone, bytesDone, w.Created, w.Updated, w.Unchanged, skipped, badRows + w.Refused.Count, w.Activities);
                await ImportJobStore.AddErrorsAsync(c, tx, jobId, [.. problems, .. w.Refused]);
                await ImportJobStore.CheckpointAsync(c, tx, jobId, tally, ctx.Now.ToUnixTimeMilliseconds(), (ctx.Now + Lease).ToUnixTimeMilliseconds());
                return tally;
            }, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException && rows.Count > 1)
        {
            // One row the database refused must not sink its batch: write row by row and report the one that fails.
            log.LogWarning(e, "Import job {JobId}: a batch failed; retrying its rows one at a time", jobId);
            return await WriteOneByOneAsync(jobId, rows, problems, ctx, rowsDone, bytesDone, skipped, badRows, ct);
        }
    }

    private async Task<BatchTally> WriteOneByOneAsync(long jobId, List<MappedRow> rows, List<RowProblem> problems, ImportContext ctx,
        long rowsDone, long bytesDone, int skipped, int badRows, CancellationToken ct)
    {
        int created = 0, updated = 0, unchanged = 0, activities = 0;
        var failures = new List<RowProblem>();
        foreach (var row in rows)
        {
            try
            {
                var w = await consequences.WriteAsync((c, tx) => writer.WriteAsync(c, tx, [row], ctx), ct);
                created += w.Created; updated += w.Updated; unchanged += w.Unchanged; activities += w.Activities;
                failures.AddRange(w.Refused);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add(new RowProblem(row.Row, null, null, $"Could not be saved: {e.Message}"));
            }
        }
        // Rows written above are idempotent on a repeat, so a crash before this checkpoint costs only a re-check.
        return await db.WriteAsync(async (c, tx) =>
        {
            var tally = new BatchTally(rowsDone, bytesDone, created, updated, unchanged, skipped, badRows + failures.Count, activities);
            await ImportJobStore.AddErrorsAsync(c, tx, jobId, [.. problems, .. failures]);
            await ImportJobStore.CheckpointAsync(c, tx, jobId, tally, ctx.Now.ToUnixTimeMilliseconds(), (ctx.Now + Lease).ToUnixTimeMilliseconds());
            return tally;
        }, ct);
    }

    private async Task FinishAsync(long id, string status, string? failure)
    {
        await db.WriteAsync(async (c, tx) =>
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await ImportJobStore.FinishAsync(c, tx, id, status, failure, now);
            await NotifyFinishedAsync(c, tx, id, now);
        });
        // An uploaded copy is only needed until its job ends (a re-run uploads again); a file the command line
        // imported in place belongs to its user and stays.
        var job = await db.ReadAsync(c => ImportJobStore.FindAsync(c, null, id));
        if (job is not null && uploads.Owns(job.FilePath)) File.Delete(job.FilePath);
    }

    /// <summary>import.finished, for the user who started the import (webhooks hear of every import).</summary>
    private static async Task NotifyFinishedAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, long id, long now)
    {
        var job = (await ImportJobStore.FindAsync(c, tx, id))!;
        long? userId = job.Actor.Type == ActorType.User && long.TryParse(job.ActorId, out var u) ? u : null;
        await Notifications.Outbox.AddAsync(c, tx, Notifications.InApp.InAppEvents.ImportFinished, null, userId, new
        {
            jobId = job.Id, fileName = job.FileName, status = job.Status, failure = job.Failure, rows = job.RowsDone, created = job.CreatedCount,
            updated = job.UpdatedCount, unchanged = job.UnchangedCount, skipped = job.SkippedCount, errors = job.ErrorCount,
            startedBy = job.ActorName, at = DateTimeOffset.FromUnixTimeMilliseconds(now),
        }, now);
    }
}

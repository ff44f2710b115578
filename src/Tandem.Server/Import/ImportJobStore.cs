using System.Data.Common;
using Dapper;
using Tandem.Domain.Import;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Storage;

namespace Tandem.Server.Import;

internal static class ImportStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>One row of import_jobs.</summary>
internal sealed class ImportJobRow
{
    public long Id { get; set; }
    public string Status { get; set; } = ImportStatus.Queued;
    public string FileName { get; set; } = "";
    public string FilePath { get; set; } = "";
    public long FileBytes { get; set; }
    public string FileSha256 { get; set; } = "";
    public string Preset { get; set; } = ImportPresets.Auto;
    public string Overrides { get; set; } = "{}";
    public string? DetectedPreset { get; set; }
    public string? Mapping { get; set; }
    public string? Encoding { get; set; }
    public string? Delimiter { get; set; }
    public long RowsDone { get; set; }
    public long BytesDone { get; set; }
    public long CreatedCount { get; set; }
    public long UpdatedCount { get; set; }
    public long UnchangedCount { get; set; }
    public long SkippedCount { get; set; }
    public long ErrorCount { get; set; }
    public long ActivityCount { get; set; }
    public string? Failure { get; set; }
    public string ActorType { get; set; } = "";
    public string ActorId { get; set; } = "";
    public string ActorName { get; set; } = "";
    public string? LeaseOwner { get; set; }
    public long? LeaseUntil { get; set; }
    public long CreatedAt { get; set; }
    public long? StartedAt { get; set; }
    public long? FinishedAt { get; set; }
    public long UpdatedAt { get; set; }

    public ImportOverrides ParsedOverrides => Json.Read(Overrides, new ImportOverrides());
    public Actor Actor => new(Enum.Parse<ActorType>(ActorType), ActorId, ActorName);
    public bool IsFinished => Status is ImportStatus.Completed or ImportStatus.Failed;
}

/// <summary>What one committed batch adds to a job's counts; written with the batch, in its transaction.</summary>
internal sealed record BatchTally(long RowsDone, long BytesDone, int Created, int Updated, int Unchanged, int Skipped, int Errors, int Activities);

internal static class ImportJobStore
{
    public static Task<long> InsertAsync(DbConnection c, DbTransaction tx, ImportJobRow job) =>
        c.ExecuteScalarAsync<long>(
            "INSERT INTO import_jobs (status, file_name, file_path, file_bytes, file_sha256, preset, overrides, actor_type, actor_id, actor_name, created_at, updated_at) " +
            "VALUES (@Status, @FileName, @FilePath, @FileBytes, @FileSha256, @Preset, @Overrides, @ActorType, @ActorId, @ActorName, @CreatedAt, @UpdatedAt) RETURNING id",
            job, tx);

    public static Task<ImportJobRow?> FindAsync(DbConnection c, DbTransaction? tx, long id) =>
        c.QuerySingleOrDefaultAsync<ImportJobRow>("SELECT * FROM import_jobs WHERE id = @id", new { id }, tx);

    public static async Task<IReadOnlyList<ImportJobRow>> ListAsync(DbConnection c, int limit) =>
        (await c.QueryAsync<ImportJobRow>("SELECT * FROM import_jobs ORDER BY id DESC LIMIT @limit", new { limit })).ToList();

    /// <summary>An unfinished job for the same file and settings, which a re-run should resume rather than repeat.</summary>
    public static Task<ImportJobRow?> FindUnfinishedAsync(DbConnection c, string sha256, string preset, string overrides) =>
        c.QuerySingleOrDefaultAsync<ImportJobRow>(
            "SELECT * FROM import_jobs WHERE file_sha256 = @sha256 AND preset = @preset AND overrides = @overrides " +
            "AND status IN ('queued', 'running') ORDER BY id DESC LIMIT 1", new { sha256, preset, overrides });

    /// <summary>
    /// Claims a job to run: a queued one, or a running one whose lease ran out (its runner died).
    /// Only one claimant wins, because the update checks the state it read.
    /// </summary>
    public static async Task<ImportJobRow?> ClaimAsync(DbConnection c, DbTransaction tx, string owner, long now, long leaseMs, long? onlyId = null)
    {
        var candidate = await c.QuerySingleOrDefaultAsync<ImportJobRow>(
            "SELECT * FROM import_jobs WHERE (status = 'queued' OR (status = 'running' AND (lease_until IS NULL OR lease_until < @now)))" +
            (onlyId is null ? "" : " AND id = @onlyId") + " ORDER BY id LIMIT 1", new { now, onlyId }, tx);
        if (candidate is null) return null;
        var won = await c.ExecuteAsync(
            "UPDATE import_jobs SET status = 'running', lease_owner = @owner, lease_until = @until, started_at = COALESCE(started_at, @now), updated_at = @now " +
            "WHERE id = @Id AND status = @Status AND COALESCE(lease_until, -1) = COALESCE(@LeaseUntil, -1)",
            new { owner, until = now + leaseMs, now, candidate.Id, candidate.Status, candidate.LeaseUntil }, tx);
        return won == 1 ? await FindAsync(c, tx, candidate.Id) : null;
    }

    public static Task SaveMappingAsync(DbConnection c, DbTransaction tx, long id, string? detectedPreset, string mapping, string encoding, string delimiter) =>
        c.ExecuteAsync("UPDATE import_jobs SET detected_preset = @detectedPreset, mapping = @mapping, encoding = @encoding, delimiter = @delimiter WHERE id = @id",
            new { id, detectedPreset, mapping, encoding, delimiter }, tx);

    /// <summary>Advances the checkpoint and counts and renews the lease, in the batch's own transaction.</summary>
    public static Task CheckpointAsync(DbConnection c, DbTransaction tx, long id, BatchTally t, long now, long leaseUntil) =>
        c.ExecuteAsync(
            "UPDATE import_jobs SET rows_done = @RowsDone, bytes_done = @BytesDone, created_count = created_count + @Created, " +
            "updated_count = updated_count + @Updated, unchanged_count = unchanged_count + @Unchanged, skipped_count = skipped_count + @Skipped, " +
            "error_count = error_count + @Errors, activity_count = activity_count + @Activities, lease_until = @leaseUntil, updated_at = @now WHERE id = @id",
            new { id, t.RowsDone, t.BytesDone, t.Created, t.Updated, t.Unchanged, t.Skipped, t.Errors, t.Activities, now, leaseUntil }, tx);

    public static async Task AddErrorsAsync(DbConnection c, DbTransaction tx, long jobId, IReadOnlyList<RowProblem> problems)
    {
        if (problems.Count == 0) return;
        var next = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(seq), 0) FROM import_job_errors WHERE job_id = @jobId", new { jobId }, tx);
        await c.ExecuteAsync(
            "INSERT INTO import_job_errors (job_id, seq, row_number, column_name, value, reason) VALUES (@JobId, @Seq, @Row, @Column, @Value, @Reason)",
            problems.Select((p, i) => new { JobId = jobId, Seq = next + i + 1, p.Row, p.Column, Value = Cut(p.Value), p.Reason }), tx);
    }

    public static Task FinishAsync(DbConnection c, DbTransaction tx, long id, string status, string? failure, long now) =>
        c.ExecuteAsync("UPDATE import_jobs SET status = @status, failure = @failure, finished_at = @now, updated_at = @now, lease_owner = NULL, lease_until = NULL WHERE id = @id",
            new { id, status, failure, now }, tx);

    public static async Task<IReadOnlyList<RowProblem>> ErrorsAsync(DbConnection c, long jobId, int limit, long afterSeq = 0) =>
        (await c.QueryAsync<(long Row, string? Column, string? Value, string Reason)>(
            "SELECT row_number, column_name, value, reason FROM import_job_errors WHERE job_id = @jobId AND seq > @afterSeq ORDER BY seq LIMIT @limit",
            new { jobId, afterSeq, limit })).Select(e => new RowProblem(e.Row, e.Column, e.Value, e.Reason)).ToList();

    private static string? Cut(string? s) => s is { Length: > 500 } ? s[..500] + "…" : s;
}

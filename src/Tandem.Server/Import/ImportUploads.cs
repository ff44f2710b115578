using System.Security.Cryptography;
using Tandem.Domain.Import;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Import;

internal sealed record StoredFile(string Path, long Bytes, string Sha256);

/// <summary>Keeps uploaded files on disk under the data folder and turns them into jobs.</summary>
internal sealed class ImportUploads(Database db, TandemOptions options, TimeProvider clock, ImportQueue queue)
{
    public string Folder => System.IO.Path.Combine(System.IO.Path.GetFullPath(options.DataDir), "imports");

    /// <summary>True for a file this server received as an upload (rather than one imported in place).</summary>
    public bool Owns(string path) =>
        System.IO.Path.GetFullPath(path).StartsWith(Folder + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>
    /// Streams an upload to disk, hashing it on the way, so a file of any size costs constant memory. An upload that
    /// fails part way (the client goes away, the body is over its limit, the disk is full) leaves no partial file.
    /// </summary>
    public async Task<StoredFile> SaveAsync(Stream content, CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        var path = System.IO.Path.Combine(Folder, $"{Guid.NewGuid():N}.csv");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            int n;
            while ((n = await content.ReadAsync(buffer, ct)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                await file.WriteAsync(buffer.AsMemory(0, n), ct);
                total += n;
            }
        }
        catch
        {
            Discard(path);
            throw;
        }
        return new StoredFile(path, total, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    /// <summary>Removes an upload nobody will import; a file already gone is fine.</summary>
    public static void Discard(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { } // still open elsewhere: the folder's next cleanup takes it
    }

    /// <summary>Hashes a file that stays where it is (the command line imports in place).</summary>
    public static async Task<StoredFile> DescribeAsync(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(file, ct);
        return new StoredFile(System.IO.Path.GetFullPath(path), file.Length, Convert.ToHexStringLower(hash));
    }

    /// <summary>Records a job; <paramref name="runner"/> claims it at once (the command line), otherwise it is queued for the server.</summary>
    public async Task<ImportJobRow> CreateJobAsync(string fileName, StoredFile file, string preset, ImportOverrides overrides, Actor actor,
        string? runner = null, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var job = new ImportJobRow
        {
            Status = ImportStatus.Queued, FileName = fileName, FilePath = file.Path, FileBytes = file.Bytes, FileSha256 = file.Sha256,
            Preset = preset, Overrides = Json.Write(overrides), ActorType = actor.Type.ToString(), ActorId = actor.Id, ActorName = actor.Name,
            CreatedAt = now, UpdatedAt = now,
        };
        var id = await db.WriteAsync(async (c, tx) =>
        {
            var id = await ImportJobStore.InsertAsync(c, tx, job);
            if (runner is not null) await ImportJobStore.ClaimAsync(c, tx, runner, now, (long)ImportRunner.Lease.TotalMilliseconds, id);
            return id;
        }, ct);
        if (runner is null) queue.Wake();
        return (await db.ReadAsync(c => ImportJobStore.FindAsync(c, null, id), ct))!;
    }
}

/// <summary>Wakes the import worker when a job is queued, instead of it waiting for its next poll.</summary>
internal sealed class ImportQueue
{
    private readonly SemaphoreSlim signal = new(0);

    public void Wake()
    {
        if (signal.CurrentCount == 0) signal.Release();
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => signal.WaitAsync(timeout, ct);
}

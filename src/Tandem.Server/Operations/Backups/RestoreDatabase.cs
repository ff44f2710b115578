using Tandem.Server.Storage;

namespace Tandem.Server.Operations.Backups;

/// <summary>
/// <c>tandem db restore FILE</c> for SQLite: checks the backup, then puts it in place of the database — only when no
/// server is using that database (see <see cref="ServingLock"/>), so a running server never has its file swapped
/// under it. The database it replaces is kept beside it (with its write-ahead log, if any), never deleted.
/// </summary>
internal static class RestoreDatabase
{
    public sealed record Outcome(string Database, int SchemaVersion, string? PreviousKeptAs);

    /// <param name="newestVersion">The newest migration this build knows: a backup from a newer Tandem is refused.</param>
    public static async Task<Outcome> FromFileAsync(Database db, string backup, int newestVersion, DateTimeOffset now, CancellationToken ct)
    {
        if (!db.IsSqlite) throw new BackupRefused(PostgresAdvice.Restore(db.ConnectionString));
        var source = Path.GetFullPath(backup);
        if (!File.Exists(source)) throw new BackupRefused($"{source} does not exist.");
        var version = await SqliteBackupFile.CheckAsync(source, ct);
        if (version > newestVersion)
            throw new BackupRefused($"{source} comes from a newer Tandem (schema version {version}; this one knows up to {newestVersion}): restore it with that version.");

        var lockPath = ServingLock.PathFor(db)!;
        var target = lockPath[..^".lock".Length];
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using var exclusive = ServingLock.TryExclusive(lockPath)
            ?? throw new BackupRefused($"A Tandem server is using {target}: stop it (every server on this database) and run the restore again.");

        var incoming = target + ".restoring";
        File.Copy(source, incoming, overwrite: true);
        await using (var copy = new FileStream(incoming, FileMode.Open, FileAccess.ReadWrite)) copy.Flush(flushToDisk: true);

        string? kept = null;
        if (File.Exists(target))
        {
            kept = $"{target}.before-restore-{now:yyyyMMdd'T'HHmmss'Z'}";
            // The log and shared memory go with their database, under the same new name, so the kept copy opens whole.
            foreach (var suffix in new[] { "-wal", "-shm", "" })
                if (File.Exists(target + suffix)) File.Move(target + suffix, kept + suffix);
        }
        File.Move(incoming, target);
        return new Outcome(target, version, kept);
    }
}

using Dapper;
using Microsoft.Data.Sqlite;
using Tandem.Server.Storage;

namespace Tandem.Server.Operations.Backups;

/// <summary>
/// <c>tandem db backup FILE</c> for SQLite: <c>VACUUM INTO</c> writes a consistent, compacted copy of the database as it
/// stood when the backup began — one read transaction, so the server keeps writing meanwhile and every write it
/// acknowledged before that moment is in the copy. The copy is written beside the target and renamed into place only
/// once complete and checked, so a backup file is never half-written.
/// </summary>
internal static class BackupDatabase
{
    public sealed record Outcome(string File, long Bytes, int SchemaVersion);

    public static async Task<Outcome> ToFileAsync(Database db, string file, CancellationToken ct)
    {
        if (!db.IsSqlite) throw new BackupRefused(PostgresAdvice.Backup(db.ConnectionString));
        var target = Path.GetFullPath(file);
        if (File.Exists(target)) throw new BackupRefused($"{target} already exists; a backup never overwrites a file, so name a new one.");
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        var partial = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        try
        {
            await using (var c = await db.OpenAsync(ct))
                await c.ExecuteAsync(new CommandDefinition("VACUUM INTO @partial", new { partial }, commandTimeout: 0, cancellationToken: ct));
            var version = await SqliteBackupFile.CheckAsync(partial, ct);
            // VACUUM INTO does not sync the file it writes; a backup must survive a power cut once the command says it is done.
            await using (var written = new FileStream(partial, FileMode.Open, FileAccess.ReadWrite)) written.Flush(flushToDisk: true);
            File.Move(partial, target);
            return new Outcome(target, new FileInfo(target).Length, version);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}

/// <summary>Asked of a PostgreSQL database, or refused for a reason the operator can act on.</summary>
internal sealed class BackupRefused(string message) : Exception(message);

/// <summary>A backup file checked before it is trusted: a SQLite database that passes its own check and holds Tandem's schema.</summary>
internal static class SqliteBackupFile
{
    /// <returns>The schema version recorded in the file.</returns>
    public static async Task<int> CheckAsync(string file, CancellationToken ct)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        try
        {
            await using var c = new SqliteConnection(cs);
            await c.OpenAsync(ct);
            var check = await c.ExecuteScalarAsync<string>("PRAGMA quick_check");
            if (check != "ok") throw new BackupRefused($"{file} is damaged: {check}");
            var hasSchema = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
            if (hasSchema == 0) throw new BackupRefused($"{file} is a SQLite database but not a Tandem one (it has no schema_migrations table).");
            return await c.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_migrations") ?? 0;
        }
        catch (SqliteException e)
        {
            throw new BackupRefused($"{file} is not a SQLite database Tandem can read ({e.Message}).");
        }
    }
}

/// <summary>What to run instead for PostgreSQL, whose own tools make consistent copies of a live database.</summary>
internal static class PostgresAdvice
{
    public static string Backup(string connectionString) =>
        "This server uses PostgreSQL, which Tandem does not copy itself: back it up with pg_dump while Tandem runs, e.g.\n" +
        $"  pg_dump --format=custom --file=tandem.dump '{Url(connectionString)}'\n" +
        "and restore with pg_restore into a new, empty database (see docs/operations.md#backups).";

    public static string Restore(string connectionString) =>
        "This server uses PostgreSQL: restore a pg_dump file with pg_restore into a new, empty database, e.g.\n" +
        "  createdb tandem_restored\n" +
        $"  pg_restore --no-owner --dbname='{Url(connectionString, "tandem_restored")}' tandem.dump\n" +
        "then point Tandem__Database__ConnectionString at it (see docs/operations.md#backups).";

    /// <summary>The connection as a postgresql:// address without its password.</summary>
    private static string Url(string connectionString, string? database = null)
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var user = string.IsNullOrEmpty(b.Username) ? "" : Uri.EscapeDataString(b.Username) + "@";
        var name = Uri.EscapeDataString(database ?? b.Database ?? "");
        // A Unix-socket folder is not a host name: libpq takes it as a parameter.
        if (b.Host?.StartsWith('/') == true) return $"postgresql://{user}/{name}?host={Uri.EscapeDataString(b.Host)}&port={b.Port}";
        var port = b.Port == 5432 ? "" : $":{b.Port}";
        return $"postgresql://{user}{b.Host}{port}/{name}";
    }
}

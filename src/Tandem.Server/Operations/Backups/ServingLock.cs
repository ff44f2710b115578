using Microsoft.Data.Sqlite;
using Tandem.Server.Storage;

namespace Tandem.Server.Operations.Backups;

/// <summary>
/// Marks a SQLite database as in use by a server: while it runs, each server holds a shared lock on
/// <c>tandem.db.lock</c> beside the database file, and <c>tandem db restore</c> replaces the file only when it can take
/// that lock for itself. The lock is the operating system's (flock), so a server that is killed releases it too.
/// PostgreSQL needs none: Tandem never replaces a PostgreSQL database.
/// </summary>
internal sealed class ServingLock(Database db) : IDisposable
{
    private FileStream? held;

    /// <summary>The lock file of a SQLite database, or null for PostgreSQL and in-memory databases.</summary>
    public static string? PathFor(Database db)
    {
        if (!db.IsSqlite) return null;
        var file = new SqliteConnectionStringBuilder(db.ConnectionString).DataSource;
        return string.IsNullOrEmpty(file) || file == ":memory:" ? null : Path.GetFullPath(file) + ".lock";
    }

    /// <summary>Takes the shared lock for as long as the server runs.</summary>
    public void Hold()
    {
        if (held is not null || PathFor(db) is not { } path) return;
        try
        {
            held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (IOException)
        {
            throw new InvalidOperationException($"{path[..^5]} is being restored (tandem db restore holds {path}); start the server when the restore is done.");
        }
    }

    /// <summary>Takes the lock exclusively, or returns null when a server holds it.</summary>
    public static FileStream? TryExclusive(string lockPath)
    {
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        held?.Dispose();
        held = null;
    }
}

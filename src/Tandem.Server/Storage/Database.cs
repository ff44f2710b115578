using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Tandem.Server.Storage;

/// <summary>
/// The one place the database provider is chosen. Hands out connections and runs units of work
/// in transactions, hiding the two engines' different concurrency models:
/// SQLite allows one writer per file, so writes in this process queue on a gate instead of
/// spinning on SQLITE_BUSY; PostgreSQL allows many, so conflicting writes are retried.
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> SqliteWriterGates = new();
    private readonly SemaphoreSlim? writerGate;
    private readonly NpgsqlDataSource? postgres;
    private readonly string synchronousPragma;

    static Database() => Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

    /// <param name="sqliteSynchronous">
    /// SQLite's synchronous setting: NORMAL (the default) or FULL. In WAL mode NORMAL never corrupts the
    /// database and loses nothing when Tandem or the process crashes; only an operating-system crash or
    /// power cut can undo the transactions committed since the last WAL sync. FULL syncs on every commit,
    /// which makes each small write several times slower.
    /// </param>
    public Database(DatabaseProvider provider, string connectionString, SqliteSynchronous sqliteSynchronous = SqliteSynchronous.Normal)
    {
        Provider = provider;
        synchronousPragma = $"PRAGMA synchronous = {sqliteSynchronous.ToString().ToUpperInvariant()};";
        if (provider == DatabaseProvider.Sqlite)
        {
            var builder = new SqliteConnectionStringBuilder(connectionString)
            {
                ForeignKeys = true,
                DefaultTimeout = 30,
                Pooling = true,
            };
            ConnectionString = builder.ToString();
            writerGate = SqliteWriterGates.GetOrAdd(Path.GetFullPath(builder.DataSource), _ => new SemaphoreSlim(1, 1));
        }
        else
        {
            ConnectionString = connectionString;
            postgres = NpgsqlDataSource.Create(connectionString);
        }
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    /// <summary>How this database spells what the two engines spell differently.</summary>
    internal SqlDialect Dialect => SqlDialect.For(Provider);

    /// <summary>Opens a connection for reading (or for work that manages its own transaction).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (postgres is not null) return await postgres.OpenConnectionAsync(ct);
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using (var pragma = connection.CreateCommand())
        {
            // synchronous is a per-connection setting, so every (pooled) connection gets it.
            pragma.CommandText = synchronousPragma;
            await pragma.ExecuteNonQueryAsync(ct);
        }
        return connection;
    }

    /// <summary>Runs a read on its own connection.</summary>
    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await read(connection);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction that commits only if it returns.
    /// Nothing is half-written: an exception rolls everything back.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (writerGate is not null) await writerGate.WaitAsync(ct);
            try
            {
                await using var connection = await OpenAsync(ct);
                await using var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
                var result = await work(connection, tx);
                await tx.CommitAsync(ct);
                return result;
            }
            catch (PostgresException e) when (attempt < 8 && IsRetryable(e))
            {
                // Two servers (or requests) raced for the same row; the loser's work is re-run from the top
                // and will now see the winner's committed row.
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
            finally
            {
                writerGate?.Release();
            }
        }
    }

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct = default) =>
        WriteAsync<bool>(async (c, tx) => { await work(c, tx); return true; }, ct);

    /// <summary>Closes PostgreSQL's pooled connections when the server stops, so stopped servers hold no connections open.</summary>
    public ValueTask DisposeAsync() => postgres?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static bool IsRetryable(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected;
}

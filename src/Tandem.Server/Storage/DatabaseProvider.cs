namespace Tandem.Server.Storage;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>How often SQLite waits for the disk; see <see cref="Database"/>.</summary>
public enum SqliteSynchronous { Normal, Full }

/// <summary>Where the data lives. SQLite is the embedded default; PostgreSQL lets several servers share one database.</summary>
internal sealed class DatabaseOptions
{
    /// <summary>"sqlite" (default) or "postgres".</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>For PostgreSQL, an Npgsql connection string. For SQLite, optional: defaults to tandem.db in the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>SQLite only: "normal" (default; durable across crashes of Tandem, WAL mode) or "full" (also across power loss, slower).</summary>
    public string SqliteSynchronous { get; set; } = "normal";

    public SqliteSynchronous ParsedSqliteSynchronous => SqliteSynchronous.Trim().ToLowerInvariant() switch
    {
        "normal" => Storage.SqliteSynchronous.Normal,
        "full" => Storage.SqliteSynchronous.Full,
        var other => throw new InvalidOperationException($"Tandem:Database:SqliteSynchronous '{other}' is not supported; use normal or full."),
    };

    public DatabaseProvider ParsedProvider => Provider.Trim().ToLowerInvariant() switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        var other => throw new InvalidOperationException($"Tandem:Database:Provider '{other}' is not supported; use sqlite or postgres."),
    };
}

namespace Tandem.Server.Storage;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Where the data lives. SQLite is the embedded default; PostgreSQL lets several servers share one database.</summary>
public sealed class DatabaseOptions
{
    /// <summary>"sqlite" (default) or "postgres".</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>For PostgreSQL, an Npgsql connection string. For SQLite, optional: defaults to tandem.db in the data directory.</summary>
    public string? ConnectionString { get; set; }

    public DatabaseProvider ParsedProvider => Provider.Trim().ToLowerInvariant() switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        var other => throw new InvalidOperationException($"Tandem:Database:Provider '{other}' is not supported; use sqlite or postgres."),
    };
}

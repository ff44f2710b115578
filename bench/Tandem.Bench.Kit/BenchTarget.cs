using Npgsql;
using Tandem.Server.Storage;

namespace Tandem.Bench.Kit;

/// <summary>A storage engine to benchmark on; each run gets a brand-new, empty database.</summary>
public sealed record BenchTarget(DatabaseProvider Provider, string? PostgresAdmin)
{
    public static readonly BenchTarget Sqlite = new(DatabaseProvider.Sqlite, null);

    public static BenchTarget OnPostgres(string admin) => new(DatabaseProvider.Postgres, admin);

    public string Name => Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres";

    /// <summary>A fresh, empty database: a new SQLite file under <paramref name="dataDir"/>, or a new PostgreSQL database.</summary>
    public async Task<string> CreateEmptyDatabaseAsync(string dataDir, string purpose)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            Directory.CreateDirectory(dataDir);
            return $"Data Source={Path.Combine(dataDir, purpose + ".db")}";
        }
        var name = $"tandem_bench_{purpose}_{Guid.NewGuid().ToString("N")[..12]}";
        await using (var connection = new NpgsqlConnection(PostgresAdmin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name, MaxPoolSize = 100 }.ToString();
    }

    /// <summary>A fresh database with Tandem's schema, for measurements made straight against the engine.</summary>
    public async Task<Database> CreateMigratedDatabaseAsync(string dataDir, string purpose)
    {
        var db = new Database(Provider, await CreateEmptyDatabaseAsync(dataDir, purpose));
        await new Migrator(db).MigrateAsync();
        return db;
    }
}

using Npgsql;
using Tandem.Server.Storage;

namespace Tandem.Tests.Infrastructure;

/// <summary>
/// Real databases for tests: a fresh SQLite file, or a fresh database on the PostgreSQL server the
/// test script started (TANDEM_TEST_POSTGRES). Without that server a PostgreSQL test is a visible
/// skip, except in CI (CI=true), where it is a failure.
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "TANDEM_TEST_POSTGRES";

    public static string? PostgresAdminConnectionString => Environment.GetEnvironmentVariable(PostgresVariable);

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips (or, in CI, fails) the calling test when PostgreSQL is not available.</summary>
    public static string RequirePostgres()
    {
        if (PostgresAdminConnectionString is { Length: > 0 } cs) return cs;
        if (InCi) throw new InvalidOperationException($"CI=true but {PostgresVariable} is not set: PostgreSQL tests must run in CI.");
        Assert.Skip($"PostgreSQL is not available (set {PostgresVariable}, as ./run-tests does).");
        return null!;
    }

    /// <summary>A connection string for a brand-new, empty database of the given provider.</summary>
    public static async Task<(DatabaseProvider Provider, string ConnectionString)> CreateEmptyAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var dir = TempFolder.Create("sqlite");
            return (provider, $"Data Source={Path.Combine(dir, "tandem.db")}");
        }
        var admin = RequirePostgres();
        var name = "tandem_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        // Timeout also bounds the wait for a pooled connection: a thousand requests racing for one person
        // queue on its row lock, and on a busy shared machine that queue can outlast the default 15 s.
        return (provider, new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 200, Timeout = 60, CommandTimeout = 120 }.ToString());
    }

    /// <summary>A migrated, empty database.</summary>
    public static async Task<Database> CreateAsync(DatabaseProvider provider)
    {
        var (p, cs) = await CreateEmptyAsync(provider);
        var db = new Database(p, cs);
        await new Migrator(db).MigrateAsync();
        return db;
    }
}

public static class TempFolder
{
    public static string Create(string purpose)
    {
        var dir = Path.Combine(Path.GetTempPath(), "tandem-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}

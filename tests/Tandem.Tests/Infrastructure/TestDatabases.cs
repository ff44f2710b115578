using Dapper;
using Microsoft.Data.Sqlite;
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
        if (provider == DatabaseProvider.Sqlite) return (provider, SqliteConnectionString(NewSqliteFile()));
        var admin = RequirePostgres();
        var name = NewPostgresName();
        await CreatePostgresAsync(admin, name, template: null);
        return (provider, PostgresConnectionString(admin, name));
    }

    /// <summary>
    /// A connection string for a brand-new database already brought to the latest migration: a copy of one database
    /// this test process migrated with the real <see cref="Migrator"/> once per engine (SQLite: the file copied;
    /// PostgreSQL: CREATE DATABASE … TEMPLATE). Running every migration for each of hundreds of test databases was
    /// a large share of the suite's time; tests of migrating itself use <see cref="CreateEmptyAsync"/>.
    /// </summary>
    public static async Task<(DatabaseProvider Provider, string ConnectionString)> CreateMigratedAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var template = await SqliteTemplate.Value;
            var file = NewSqliteFile();
            File.Copy(template, file);
            return (provider, SqliteConnectionString(file));
        }
        var admin = RequirePostgres();
        var templateName = await PostgresTemplate.Value;
        var name = NewPostgresName();
        await CreatePostgresAsync(admin, name, templateName);
        return (provider, PostgresConnectionString(admin, name));
    }

    /// <summary>
    /// Makes a database nobody uses any more into a template that <see cref="CopyTemplateAsync"/> copies: SQLite's log is
    /// folded into its one file and its pooled connections closed; a PostgreSQL database is copied by name (the caller has
    /// closed its connections, as disposing its <see cref="Database"/> does).
    /// </summary>
    public static async Task<string> FreezeAsTemplateAsync(DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Postgres) return new NpgsqlConnectionStringBuilder(connectionString).Database!;
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        // The connection string a server's Database makes of it, so clearing this pool closes the connections it left idle.
        await using var database = new Database(DatabaseProvider.Sqlite, connectionString);
        await using (var connection = new SqliteConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
            SqliteConnection.ClearPool(connection);
        }
        if (File.Exists(file + "-wal") && new FileInfo(file + "-wal").Length > 0)
            throw new InvalidOperationException($"The SQLite template {file} still has a write-ahead log; a copy of the file alone would miss it.");
        return file;
    }

    /// <summary>A connection string for a new database that starts as a copy of a template <see cref="FreezeAsTemplateAsync"/> made.</summary>
    public static async Task<string> CopyTemplateAsync(DatabaseProvider provider, string template)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = NewSqliteFile();
            File.Copy(template, file);
            return SqliteConnectionString(file);
        }
        var admin = RequirePostgres();
        var name = NewPostgresName();
        await CreatePostgresAsync(admin, name, template);
        return PostgresConnectionString(admin, name);
    }

    /// <summary>A migrated, empty database.</summary>
    public static async Task<Database> CreateAsync(DatabaseProvider provider)
    {
        var (p, cs) = await CreateMigratedAsync(provider);
        return new Database(p, cs);
    }

    private static readonly Lazy<Task<string>> SqliteTemplate = new(async () =>
    {
        var file = NewSqliteFile("sqlite-template");
        await using (var db = new Database(DatabaseProvider.Sqlite, SqliteConnectionString(file)))
        {
            await new Migrator(db).MigrateAsync();
            await using var connection = await db.OpenAsync();
            await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
            SqliteConnection.ClearPool((SqliteConnection)connection);
        }
        // Everything is in the main file now (the file stays in WAL mode, which SQLite records in it); closing the last
        // connection removed the write-ahead log, so a copy of the one file is the whole database.
        if (File.Exists(file + "-wal") && new FileInfo(file + "-wal").Length > 0)
            throw new InvalidOperationException($"The SQLite template {file} still has a write-ahead log; a copy of the file alone would miss it.");
        return file;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<Task<string>> PostgresTemplate = new(async () =>
    {
        var admin = RequirePostgres();
        var name = "tandem_template_" + Guid.NewGuid().ToString("N")[..16];
        await CreatePostgresAsync(admin, name, template: null);
        // Disposing the database closes its pooled connections: PostgreSQL copies a template only while nobody is connected to it.
        await using (var db = new Database(DatabaseProvider.Postgres, PostgresConnectionString(admin, name)))
            await new Migrator(db).MigrateAsync();
        return name;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private static string NewSqliteFile(string purpose = "sqlite") => Path.Combine(TempFolder.Create(purpose), "tandem.db");

    private static string SqliteConnectionString(string file) => $"Data Source={file}";

    private static string NewPostgresName() => "tandem_test_" + Guid.NewGuid().ToString("N")[..16];

    private static async Task CreatePostgresAsync(string admin, string name, string? template)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        // FILE_COPY copies the template's files instead of writing them all through the WAL (PostgreSQL 15's default):
        // for a database this small it costs the server a third of the CPU time.
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {template ?? "template1"} STRATEGY FILE_COPY", connection);
        await create.ExecuteNonQueryAsync();
    }

    // Timeout also bounds the wait for a pooled connection: a thousand requests racing for one person
    // queue on its row lock, and on a busy shared machine that queue can outlast the default 15 s.
    private static string PostgresConnectionString(string admin, string name) =>
        new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 200, Timeout = 60, CommandTimeout = 120 }.ToString();
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

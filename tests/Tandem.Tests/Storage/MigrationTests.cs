using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Storage;

public abstract class MigrationTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Migrating_an_existing_database_upgrades_in_place_and_keeps_its_data()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = await TestDatabases.CreateAsync(provider);
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO people (email, stage, stage_changed_at, created_at, updated_at) VALUES ('kept@acme.io', 'Lead', 1, 1, 1)", transaction: tx), ct);
        var migrator = new Migrator(db);
        var before = await migrator.CurrentVersionAsync(ct);

        var applied = await migrator.MigrateAsync(ct);

        Assert.Empty(applied);
        Assert.Equal(before, await migrator.CurrentVersionAsync(ct));
        Assert.Equal(migrator.Available().Max(m => m.Version), before);
        Assert.Equal(1, await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM people WHERE email = 'kept@acme.io'"), ct));
    }

    [Fact]
    public async Task A_database_missing_later_migrations_receives_exactly_those_and_keeps_its_data()
    {
        var ct = TestContext.Current.CancellationToken;
        var (p, cs) = await TestDatabases.CreateEmptyAsync(provider);
        var db = new Database(p, cs);
        var migrator = new Migrator(db);
        var all = migrator.Available();
        Assert.True(all.Count > 1, "this test needs at least two migrations");
        // A server installed when only the foundation migration existed, holding a person.
        await migrator.MigrateAsync(targetVersion: 1, ct);
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO people (email, stage, stage_changed_at, created_at, updated_at) VALUES ('kept@example.com', 'Lead', 1, 1, 1)", transaction: tx), ct);

        var applied = await migrator.MigrateAsync(ct);

        Assert.Equal(all.Skip(1).Select(m => m.Version), applied.Select(m => m.Version));
        Assert.Equal(all[^1].Version, await migrator.CurrentVersionAsync(ct));
        var kept = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM people WHERE email = 'kept@example.com'"), ct);
        Assert.Equal(1, kept);
        Assert.Empty(await migrator.MigrateAsync(ct));
    }
}

public sealed class MigrationTestsOnSqlite() : MigrationTests(DatabaseProvider.Sqlite)
{
    // SQLite's own settings: PostgreSQL has no counterpart, so this test lives only in the SQLite suite.
    [Fact]
    public async Task Sqlite_runs_in_wal_mode_with_foreign_keys_on()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = await TestDatabases.CreateAsync(DatabaseProvider.Sqlite);
        var (mode, fk) = await db.ReadAsync(async c =>
            (await c.ExecuteScalarAsync<string>("PRAGMA journal_mode"), await c.ExecuteScalarAsync<long>("PRAGMA foreign_keys")), ct);
        Assert.Equal("wal", mode);
        Assert.Equal(1, fk);
    }
}

public sealed class MigrationTestsOnPostgres() : MigrationTests(DatabaseProvider.Postgres);

using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Storage;

public abstract class MigrationTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Migrating_an_existing_database_upgrades_in_place_and_keeps_its_data()
    {
        var db = await TestDatabases.CreateAsync(provider);
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO people (email, stage, stage_changed_at, created_at, updated_at) VALUES ('kept@acme.io', 'Lead', 1, 1, 1)", transaction: tx));
        var migrator = new Migrator(db);
        var before = await migrator.CurrentVersionAsync();

        var applied = await migrator.MigrateAsync();

        Assert.Empty(applied);
        Assert.Equal(before, await migrator.CurrentVersionAsync());
        Assert.Equal(migrator.Available().Max(m => m.Version), before);
        Assert.Equal(1, await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM people WHERE email = 'kept@acme.io'")));
    }

    [Fact]
    public async Task A_database_missing_later_migrations_receives_exactly_those()
    {
        var db = await TestDatabases.CreateAsync(provider);
        var migrator = new Migrator(db);
        var all = migrator.Available();
        // Pretend the newest migration had not been applied yet, as on a server installed before it shipped.
        var newest = all[^1];
        await db.WriteAsync((c, tx) => c.ExecuteAsync("DELETE FROM schema_migrations WHERE version = @Version", new { newest.Version }, tx));
        if (all.Count > 1)
        {
            var applied = await migrator.MigrateAsync();
            Assert.Equal([newest.Version], applied.Select(m => m.Version));
        }
        else
        {
            // With only the foundation migration, re-applying it onto existing tables must fail loudly, not recreate them.
            await Assert.ThrowsAnyAsync<Exception>(() => migrator.MigrateAsync());
        }
    }

    [Fact]
    public async Task Sqlite_runs_in_wal_mode_with_foreign_keys_on()
    {
        if (provider != DatabaseProvider.Sqlite) return;
        var db = await TestDatabases.CreateAsync(provider);
        var (mode, fk) = await db.ReadAsync(async c =>
            (await c.ExecuteScalarAsync<string>("PRAGMA journal_mode"), await c.ExecuteScalarAsync<long>("PRAGMA foreign_keys")));
        Assert.Equal("wal", mode);
        Assert.Equal(1, fk);
    }
}

public sealed class MigrationTestsOnSqlite() : MigrationTests(DatabaseProvider.Sqlite);

public sealed class MigrationTestsOnPostgres() : MigrationTests(DatabaseProvider.Postgres);

using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;

namespace Tandem.Server.Storage;

/// <summary>
/// Brings a database's schema up to date with versioned SQL scripts, one folder per provider
/// (Storage/Migrations/Sqlite, Storage/Migrations/Postgres). Each script runs once, in its own
/// transaction, and is recorded in schema_migrations; an existing database is upgraded in place.
/// </summary>
internal sealed partial class Migrator(Database database)
{
    public sealed record Migration(int Version, string Name, string Sql);

    public IReadOnlyList<Migration> Available()
    {
        var folder = database.IsSqlite ? "Sqlite" : "Postgres";
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"migrations/{folder}/";
        var migrations = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..^4];
                var match = VersionPattern().Match(file);
                if (!match.Success) throw new InvalidOperationException($"Migration '{file}' must be named NNNN_name.sql.");
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new Migration(int.Parse(match.Groups[1].Value), match.Groups[2].Value, reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
        if (migrations.Count == 0) throw new InvalidOperationException($"No {folder} migrations are embedded in {assembly.GetName().Name}.");
        return migrations;
    }

    /// <summary>Applies every pending migration; returns the ones applied.</summary>
    public Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken ct = default) => MigrateAsync(null, ct);

    /// <summary>Applies pending migrations up to and including <paramref name="targetVersion"/> (all when null).</summary>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(int? targetVersion, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        if (database.IsSqlite)
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");

        var applied = new List<Migration>();
        foreach (var migration in Available().Where(m => targetVersion is null || m.Version <= targetVersion))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            // Two servers starting at once against one PostgreSQL database must not both run a script.
            if (!database.IsSqlite)
                await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(72636)", transaction: tx);
            var done = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @Version", new { migration.Version }, tx);
            if (done > 0) { await tx.RollbackAsync(ct); continue; }

            await connection.ExecuteAsync(migration.Sql, transaction: tx);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                new { migration.Version, migration.Name, At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, tx);
            await tx.CommitAsync(ct);
            applied.Add(migration);
        }
        return applied;
    }

    public async Task<int> CurrentVersionAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_migrations") ?? 0;
    }

    [GeneratedRegex(@"^(\d{4})_([A-Za-z0-9_]+)$")]
    private static partial Regex VersionPattern();
}

using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Storage;

/// <summary>SQLite's sync setting decides what a power cut can undo, so it must be what the configuration says.</summary>
public sealed class SqliteDurabilityTests
{
    [Fact]
    public async Task Sqlite_connections_sync_normally_in_wal_mode_by_default()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(DatabaseProvider.Sqlite);
        var (mode, synchronous) = await server.Database.ReadAsync(async c =>
            (await c.ExecuteScalarAsync<string>("PRAGMA journal_mode"), await c.ExecuteScalarAsync<long>("PRAGMA synchronous")), ct);
        Assert.Equal("wal", mode);
        Assert.Equal(1, synchronous); // NORMAL
    }

    [Fact]
    public async Task Sqlite_synchronous_full_can_be_configured_for_every_connection()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(DatabaseProvider.Sqlite,
            settings: new Dictionary<string, string?> { ["Tandem:Database:SqliteSynchronous"] = "full" });
        for (var i = 0; i < 3; i++) // pooled connections are reused; each must carry the setting
            Assert.Equal(2, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("PRAGMA synchronous"), ct)); // FULL
        using var client = await server.AdminClientAsync();
        await client.CaptureLeadAsync(new { email = "durable@example.com" });
    }

    [Fact]
    public void An_unknown_synchronous_setting_is_refused_naming_the_setting()
    {
        var options = new DatabaseOptions { SqliteSynchronous = "sometimes" };
        var error = Assert.Throws<InvalidOperationException>(() => options.ParsedSqliteSynchronous);
        Assert.Contains("SqliteSynchronous", error.Message);
    }
}

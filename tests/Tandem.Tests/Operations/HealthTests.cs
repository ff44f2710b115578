using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Operations;

/// <summary>/health/live answers while the process runs; /health/ready only when the database answers and is fully migrated.</summary>
public abstract class HealthTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Live_and_ready_need_no_key_and_ready_fails_while_a_migration_is_pending()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var anonymous = server.Client();

        var live = await anonymous.GetAsync("/health/live", ct);
        var ready = await anonymous.GetAsync("/health/ready", ct);
        var latest = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT MAX(version) FROM schema_migrations"), TestContext.Current.CancellationToken);
        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync("DELETE FROM schema_migrations WHERE version = @latest", new { latest }, tx), ct);
        var pending = await anonymous.GetAsync("/health/ready", ct);
        var stillLive = await anonymous.GetAsync("/health/live", ct);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", (await ready.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pending.StatusCode);
        var body = await pending.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal([latest], body.GetProperty("pendingMigrations").EnumerateArray().Select(e => e.GetInt32()).ToList());
        Assert.Equal(HttpStatusCode.OK, stillLive.StatusCode);
    }
}

public sealed class HealthTestsOnSqlite() : HealthTests(DatabaseProvider.Sqlite);

public sealed class HealthTestsOnPostgres() : HealthTests(DatabaseProvider.Postgres);

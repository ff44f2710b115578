using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Api;

/// <summary>
/// The tests that load the machine on purpose run one at a time, after the parallel tests: a thousand concurrent
/// submissions for one person form a lock chain that must finish inside the connection pool's 15-second timeout, and
/// on a loaded two-core machine any suite running beside it (sign-ins hash passwords, servers start) pushed that chain
/// past the timeout. Keeping this one test alone lets every other API, web and SLA suite run in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConcurrencyTests
{
    public const string Name = "Concurrency, alone";
}

/// <summary>Identity under a burst of concurrent requests through the real HTTP API, on each database.</summary>
public abstract class ConcurrentCaptureTests(DatabaseProvider provider)
{
    [Fact]
    public async Task A_thousand_concurrent_identical_submissions_create_one_person()
    {
        await using var server = await TandemServer.StartAsync(provider);
        var key = await server.CreateKeyAsync("write");
        using var api = server.Client(key);

        var responses = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ =>
            api.PostAsJsonAsync("/api/v1/people", new { email = "rush@acme.io", firstName = "Rush" })));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).Id()));
        Assert.Single(ids.Distinct());
        using var admin = await server.AdminClientAsync();
        var list = await admin.GetJsonAsync("/api/v1/people?email=rush@acme.io");
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
    }
}

[Collection(ConcurrencyTests.Name)]
public sealed class ConcurrentCaptureTestsOnSqlite() : ConcurrentCaptureTests(DatabaseProvider.Sqlite);

[Collection(ConcurrencyTests.Name)]
public sealed class ConcurrentCaptureTestsOnPostgres() : ConcurrentCaptureTests(DatabaseProvider.Postgres);

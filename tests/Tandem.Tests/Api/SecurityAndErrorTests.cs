using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Api;

public abstract class SecurityAndErrorTests(DatabaseProvider provider)
{
    [Fact]
    public async Task No_key_is_401_and_a_key_without_the_scope_is_403()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var anonymous = server.Client();
        using var ingestOnly = server.Client(await server.CreateKeyAsync("ingest"));
        using var readOnly = server.Client(await server.CreateKeyAsync("read"));
        using var forged = server.Client("tdm_abcdefgh_notarealkeynotarealkeynotarealke");

        var none = await anonymous.GetAsync("/api/v1/people", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(401, (await none.ProblemAsync()).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/people", ct)).StatusCode);

        var wrongScope = await ingestOnly.GetAsync("/api/v1/people", ct);
        Assert.Equal(HttpStatusCode.Forbidden, wrongScope.StatusCode);
        Assert.Contains("read", (await wrongScope.ProblemAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.PostAsJsonAsync("/api/v1/people", new { email = "x@y.io" }, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.GetAsync("/api/v1/keys", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await readOnly.GetAsync("/api/v1/people", ct)).StatusCode);
    }

    [Fact]
    public async Task Keys_are_stored_hashed_and_a_revoked_key_stops_working()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock();
        await using var server = await TandemServer.StartAsync(provider, clock);
        using var admin = await server.AdminClientAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/keys", new { name = "zapier", scopes = new[] { "write" } }, ct);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(ct);
        var key = body.GetProperty("key").GetString()!;
        var id = body.GetProperty("info").GetProperty("id").GetInt64();

        var stored = await server.Database.ReadAsync(c => c.QuerySingleAsync<string>("SELECT key_hash FROM api_keys WHERE id = @id", new { id }), ct);
        Assert.DoesNotContain(key, stored);
        Assert.Equal(64, stored.Length);
        using var client = server.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/people", ct)).StatusCode);

        (await admin.DeleteAsync($"/api/v1/keys/{id}", ct)).EnsureSuccessStatusCode();
        // A server remembers a verified key for a few seconds of its own clock; once they pass, the revocation shows.
        clock.Advance(ApiKeyCache.Window + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/people", ct)).StatusCode);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_saying_where()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var response = await api.PostAsync("/api/v1/people",
            new StringContent("{\"email\": \"a@b.io\", \"firstName\": }", Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Contains("$.firstName", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("$.firstName", out _));
    }

    [Fact]
    public async Task Body_over_the_limit_is_413()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, settings: new Dictionary<string, string?> { ["Tandem:MaxRequestBodyBytes"] = "4096" });
        using var api = await server.AdminClientAsync();
        var response = await api.PostAsJsonAsync("/api/v1/people", new { email = "big@acme.io", title = new string('x', 10_000) }, ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Contains("4,096 bytes", problem.GetProperty("errors").GetProperty("body")[0].GetString());

        // A body whose declared length is over the limit is refused the same way, before it is read.
        var declared = new StringContent($$"""{"email":"big@acme.io","title":"{{new string('x', 10_000)}}"}""", System.Text.Encoding.UTF8, "application/json");
        var refused = await api.PostAsync("/api/v1/people", declared, ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Contains("4,096 bytes", (await refused.ProblemAsync()).GetProperty("detail").GetString());
        var list = await api.GetJsonAsync("/api/v1/people");
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Invalid_fields_are_named_and_nothing_is_written()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var response = await api.PostAsJsonAsync("/api/v1/people", new
        {
            email = "not-an-email", stage = "Disqualified", externalIds = new[] { new { source = "", id = "1" } },
            customFields = new Dictionary<string, string> { ["bad name!"] = "x" },
        }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ProblemAsync()).GetProperty("errors");
        foreach (var field in new[] { "email", "stage", "externalIds[0].source", "customFields.bad name!" })
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        Assert.Equal(0, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM people"), ct));
    }

    [Fact]
    public async Task OpenApi_document_and_health_are_served()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var client = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", ct)).StatusCode);
        var doc = await client.GetJsonAsync("/openapi/v1.json");
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/v1/people", out _));
        Assert.True(doc.GetProperty("paths").TryGetProperty("/v1/batch", out _));
        // Generated clients and API explorers learn from the document how to send the key.
        var schemes = doc.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("apiKey").GetProperty("scheme").GetString());
        Assert.Equal("basic", schemes.GetProperty("writeKey").GetProperty("scheme").GetString());
        var capture = doc.GetProperty("paths").GetProperty("/api/v1/people").GetProperty("post");
        Assert.Contains("'write' scope", capture.GetProperty("description").GetString());
        Assert.Equal(1, capture.GetProperty("security").GetArrayLength());
        Assert.Equal(2, doc.GetProperty("paths").GetProperty("/v1/batch").GetProperty("post").GetProperty("security").GetArrayLength());
        Assert.False(doc.GetProperty("paths").GetProperty("/f/{formKey}").GetProperty("post").TryGetProperty("security", out _));
    }
}

public sealed class SecurityAndErrorTestsOnSqlite() : SecurityAndErrorTests(DatabaseProvider.Sqlite);

public sealed class SecurityAndErrorTestsOnPostgres() : SecurityAndErrorTests(DatabaseProvider.Postgres);

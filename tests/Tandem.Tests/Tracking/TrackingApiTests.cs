using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Tracking;

/// <summary>Segment's HTTP Tracking API, as raw HTTP, on each database.</summary>
public abstract class TrackingApiTests(DatabaseProvider provider)
{
    private static HttpClient WriteKeyClient(TandemServer server, string key)
    {
        var client = server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));
        return client;
    }

    [Fact]
    public async Task Anonymous_visits_join_the_person_when_identify_links_the_anonymous_id()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var tracker = WriteKeyClient(server, await server.CreateKeyAsync("ingest"));
        using var api = await server.AdminClientAsync();
        var campaign = new { name = "spring-launch", source = "google", medium = "cpc" };

        (await tracker.PostAsJsonAsync("/v1/page", new
        {
            anonymousId = "anon-1", name = "Pricing", messageId = "m1", timestamp = DateTimeOffset.UtcNow.AddMinutes(-30),
            context = new { campaign, page = new { url = "https://lumen.example/pricing", referrer = "https://www.google.com/" } },
        }, ct)).EnsureSuccessStatusCode();
        (await tracker.PostAsJsonAsync("/v1/identify", new
        {
            userId = "user-7", anonymousId = "anon-1", messageId = "m2",
            traits = new { email = "Sam@Northwind.com", name = "Sam Rivera", company = new { name = "Northwind" }, plan = "trial" },
        }, ct)).EnsureSuccessStatusCode();
        (await tracker.PostAsJsonAsync("/v1/track", new { userId = "user-7", @event = "Demo Requested", messageId = "m3" }, ct)).EnsureSuccessStatusCode();

        var people = await api.GetJsonAsync("/api/v1/people?email=sam@northwind.com");
        var person = people.GetProperty("items")[0];
        Assert.Equal("Sam", person.GetProperty("firstName").GetString());
        Assert.Equal("Rivera", person.GetProperty("lastName").GetString());
        Assert.Equal("Northwind", person.GetProperty("company").GetString());
        Assert.Equal("trial", person.GetProperty("customFields").GetProperty("plan").GetString());
        Assert.Equal("Paid Search", person.GetProperty("firstTouch").GetProperty("attribution").GetProperty("channel").GetString());
        Assert.Equal("spring-launch", person.GetProperty("firstTouch").GetProperty("attribution").GetProperty("utmCampaign").GetString());

        var timeline = await api.GetJsonAsync($"/api/v1/people/{person.Id()}/timeline");
        var types = timeline.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("type").GetString()).ToList();
        Assert.Contains("page_view", types);
        Assert.Contains("identify", types);
        Assert.Contains("Demo Requested", types);
        var page = timeline.GetProperty("items").EnumerateArray().First(a => a.GetProperty("type").GetString() == "page_view");
        Assert.Equal("https://lumen.example/pricing", page.GetProperty("properties").GetProperty("url").GetString());
    }

    [Fact]
    public async Task The_same_message_id_twice_is_stored_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var tracker = WriteKeyClient(server, await server.CreateKeyAsync("ingest"));
        var message = new { type = "track", userId = "u1", @event = "Signed Up", messageId = "dup-1" };

        var first = await tracker.PostAsJsonAsync("/v1/batch", new { batch = new[] { message, message } }, ct);
        var retry = await tracker.PostAsJsonAsync("/v1/batch", new { batch = new[] { message } }, ct);

        Assert.Equal(1, (await first.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("stored").GetInt32());
        Assert.Equal(1, (await retry.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("duplicates").GetInt32());
        Assert.Equal(1, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM activities WHERE message_id = 'dup-1'"), ct));
    }

    [Fact]
    public async Task A_batch_with_one_bad_message_is_refused_whole_naming_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var tracker = WriteKeyClient(server, await server.CreateKeyAsync("ingest"));
        var response = await tracker.PostAsJsonAsync("/v1/batch", new
        {
            batch = new object[]
            {
                new { type = "track", userId = "u1", @event = "Ok" },
                new { type = "track", @event = "No identity" },
                new { type = "teleport", userId = "u1" },
            },
        }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ProblemAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("batch[1].userId", out _));
        Assert.True(errors.TryGetProperty("batch[2].type", out _));
        Assert.Equal(0, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM activities"), ct));
    }

    [Fact]
    public async Task Tracking_needs_an_ingest_key_and_ingest_keys_cannot_read()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var noKey = server.Client();
        using var reader = WriteKeyClient(server, await server.CreateKeyAsync("read"));
        var message = new { userId = "u1", @event = "x" };
        Assert.Equal(HttpStatusCode.Unauthorized, (await noKey.PostAsJsonAsync("/v1/track", message, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/v1/track", message, ct)).StatusCode);
    }

    [Fact]
    public async Task Group_links_the_person_to_an_account()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var tracker = WriteKeyClient(server, await server.CreateKeyAsync("ingest"));
        using var api = await server.AdminClientAsync();
        (await tracker.PostAsJsonAsync("/v1/batch", new
        {
            batch = new object[]
            {
                new { type = "identify", userId = "u9", traits = new { email = "kim@gmail.com" } },
                new { type = "group", userId = "u9", groupId = "g1", traits = new { name = "Fjord Energy", website = "https://www.fjord-energy.com" } },
            },
        }, ct)).EnsureSuccessStatusCode();
        var person = (await api.GetJsonAsync("/api/v1/people?email=kim@gmail.com")).GetProperty("items")[0];
        Assert.Equal("fjord-energy.com", person.GetProperty("account").GetProperty("domain").GetString());
    }
}

public sealed class TrackingApiTestsOnSqlite() : TrackingApiTests(DatabaseProvider.Sqlite);

public sealed class TrackingApiTestsOnPostgres() : TrackingApiTests(DatabaseProvider.Postgres);

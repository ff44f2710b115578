using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Tracking;

/// <summary>One /v1/batch carries a visitor's whole story; it must come out the same as message by message.</summary>
public abstract class BatchIngestionTests(DatabaseProvider provider)
{
    private static object JourneyBatch => new
    {
        batch = new object[]
        {
            new
            {
                type = "page", messageId = "j-1", anonymousId = "visitor-1", name = "Pricing", timestamp = "2026-11-02T08:00:00Z",
                context = new { campaign = new { name = "spring-launch", source = "google", medium = "cpc" }, page = new { url = "https://lumen.example/pricing" } },
            },
            new { type = "track", messageId = "j-2", anonymousId = "visitor-1", @event = "Whitepaper Downloaded", timestamp = "2026-11-02T08:05:00Z" },
            new
            {
                type = "identify", messageId = "j-3", anonymousId = "visitor-1", userId = "u-1", timestamp = "2026-11-02T08:10:00Z",
                traits = new { email = "kim@contoso.com", firstName = "Kim" },
            },
            new { type = "track", messageId = "j-4", userId = "u-1", @event = "Demo Requested", timestamp = "2026-11-02T08:15:00Z" },
        },
    };

    [Fact]
    public async Task A_visitor_identified_within_one_batch_gets_the_batch_s_earlier_visits_and_first_touch()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, new ManualClock());
        using var tracker = await TrackerAsync(server);
        using var api = await server.AdminClientAsync();

        var answer = await (await tracker.PostAsJsonAsync("/v1/batch", JourneyBatch, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(4, answer.GetProperty("stored").GetInt32());

        var person = (await api.GetJsonAsync("/api/v1/people?email=kim@contoso.com")).GetProperty("items")[0];
        Assert.Equal("spring-launch", person.GetProperty("firstTouch").GetProperty("attribution").GetProperty("utmCampaign").GetString());
        var timeline = await api.GetJsonAsync($"/api/v1/people/{person.Id()}/timeline");
        var types = timeline.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("type").GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "page_view", "Whitepaper Downloaded", "identify", "Demo Requested" }, types.ToHashSet());
        var unattributed = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM activities WHERE person_id IS NULL"), ct);
        Assert.Equal(0, unattributed);
    }

    [Fact]
    public async Task A_retried_batch_stores_nothing_and_changes_no_one()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, new ManualClock());
        using var tracker = await TrackerAsync(server);
        (await tracker.PostAsJsonAsync("/v1/batch", JourneyBatch, ct)).EnsureSuccessStatusCode();
        var before = await server.Database.ReadAsync(c => c.QuerySingleAsync<(long, long, long)>(
            "SELECT (SELECT COUNT(*) FROM people), (SELECT COUNT(*) FROM activities), (SELECT MAX(updated_at) FROM people)"), ct);

        var again = await (await tracker.PostAsJsonAsync("/v1/batch", JourneyBatch, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);

        Assert.Equal(0, again.GetProperty("stored").GetInt32());
        Assert.Equal(4, again.GetProperty("duplicates").GetInt32());
        Assert.Equal(before, await server.Database.ReadAsync(c => c.QuerySingleAsync<(long, long, long)>(
            "SELECT (SELECT COUNT(*) FROM people), (SELECT COUNT(*) FROM activities), (SELECT MAX(updated_at) FROM people)"), ct));
    }

    [Fact]
    public async Task Concurrent_batches_about_the_same_people_all_land_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var tracker = await TrackerAsync(server);
        // Eight senders, each naming the same ten users in a different order: the pattern that deadlocks
        // when each batch locks people in message order.
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(sender => tracker.PostAsJsonAsync("/v1/batch", new
        {
            batch = Enumerable.Range(0, 10).Select(i => sender % 2 == 0 ? (i + sender) % 10 : (19 - i - sender) % 10).Select(user => (object)new
            {
                type = "identify", messageId = $"s{sender}-u{user}", userId = $"user-{user}", anonymousId = $"visitor-{user}",
                traits = new { email = $"user{user}@contoso.com", lastName = $"Sender{sender}" },
            }).ToArray(),
        })));
        foreach (var r in responses) await r.EnsureSuccessWithBodyAsync();
        var (people, activities) = await server.Database.ReadAsync(c => c.QuerySingleAsync<(long, long)>(
            "SELECT (SELECT COUNT(*) FROM people), (SELECT COUNT(*) FROM activities WHERE type = 'identify')"), ct);
        Assert.Equal(10, people);
        Assert.Equal(80, activities);
    }

    private static async Task<HttpClient> TrackerAsync(TandemServer server)
    {
        var client = server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(await server.CreateKeyAsync("ingest") + ":")));
        return client;
    }
}

public sealed class BatchIngestionTestsOnSqlite() : BatchIngestionTests(DatabaseProvider.Sqlite);

public sealed class BatchIngestionTestsOnPostgres() : BatchIngestionTests(DatabaseProvider.Postgres);

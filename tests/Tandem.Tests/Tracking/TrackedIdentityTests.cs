using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Tracking;

/// <summary>Who a tracked message is about, what its event counts as, and what a public write key may not do.</summary>
public abstract class TrackedIdentityTests(DatabaseProvider provider)
{
    private static HttpClient Tracker(TandemServer server, string key)
    {
        var tracker = server.Client();
        tracker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));
        return tracker;
    }

    private static async Task SendAsync(HttpClient tracker, string type, object message) =>
        await (await tracker.PostAsJsonAsync($"/v1/{type}", message, TestContext.Current.CancellationToken)).EnsureSuccessWithBodyAsync();

    private static Task<long> CountAsync(TandemServer server, string sql) =>
        server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(sql), TestContext.Current.CancellationToken);

    /// <summary>Regression: a userId that was an email address became a second, nameless person.</summary>
    [Fact]
    public async Task A_userId_that_is_an_email_joins_the_person_with_that_email_and_is_kept_as_their_id()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        using var tracker = Tracker(server, await server.CreateKeyAsync("ingest"));
        var lead = await api.CaptureLeadAsync(new { email = "pat.lee@contoso.com", firstName = "Pat" });

        await SendAsync(tracker, "track", new { userId = "pat.lee@contoso.com", @event = "Pricing Viewed" });
        await SendAsync(tracker, "identify", new { userId = "Pat.Lee@Contoso.com", traits = new { title = "Head of Data" } });

        Assert.Equal(1, await CountAsync(server, "SELECT COUNT(*) FROM people WHERE merged_into_id IS NULL"));
        var person = await api.GetJsonAsync($"/api/v1/people/{lead.Id()}");
        Assert.Equal("Head of Data", person.GetProperty("title").GetString());
        Assert.Contains(person.GetProperty("externalIds").EnumerateArray(),
            e => e.GetProperty("source").GetString() == "tracking" && e.GetProperty("id").GetString() == "pat.lee@contoso.com");
        var types = (await api.GetJsonAsync($"/api/v1/people/{lead.Id()}/timeline")).GetProperty("items").EnumerateArray()
            .Select(a => a.GetProperty("type").GetString()).ToList();
        Assert.Contains("Pricing Viewed", types);
        Assert.Contains("identify", types);
    }

    [Fact]
    public async Task A_userId_that_is_an_email_of_someone_new_creates_them_with_that_email()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        using var tracker = Tracker(server, await server.CreateKeyAsync("ingest"));

        await SendAsync(tracker, "track", new { userId = "new.person@fabrikam.com", @event = "Signed Up" });

        var found = (await api.GetJsonAsync("/api/v1/people?email=new.person@fabrikam.com")).GetProperty("items");
        Assert.Equal(1, found.GetArrayLength());
        Assert.Equal(0, await CountAsync(server, "SELECT COUNT(*) FROM people WHERE email IS NULL"));
    }

    [Fact]
    public async Task A_tracked_demo_request_scores_as_the_demo_request_form_does()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        using var tracker = Tracker(server, await server.CreateKeyAsync("ingest"));
        var form = await (await api.PostAsJsonAsync("/api/v1/forms", new { name = "demo-request" }, TestContext.Current.CancellationToken))
            .Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        using var browser = server.Client(followRedirects: false);
        (await browser.PostAsync(form.GetProperty("action").GetString(), new FormUrlEncodedContent(new Dictionary<string, string>
            { ["email"] = "by.form@contoso.com" }), TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var byForm = (await api.GetJsonAsync("/api/v1/people?email=by.form@contoso.com")).GetProperty("items")[0].Id();
        var byEvent = (await api.CaptureLeadAsync(new { email = "by.event@contoso.com" })).Id();
        var byWebinar = (await api.CaptureLeadAsync(new { email = "by.webinar@contoso.com" })).Id();

        await SendAsync(tracker, "track", new { userId = "by.event@contoso.com", @event = "Demo Requested" });
        await SendAsync(tracker, "track", new { userId = "by.webinar@contoso.com", @event = "webinar-attended" });

        async Task<IReadOnlyList<string?>> RulesAsync(long id) => (await api.GetJsonAsync($"/api/v1/people/{id}/score"))
            .GetProperty("engagement").GetProperty("awards").EnumerateArray()
            .Where(a => a.GetProperty("cappedBy").ValueKind == JsonValueKind.Null).Select(a => a.GetProperty("ruleId").GetString()).ToList();
        Assert.Equal(["demo-request"], await RulesAsync(byForm));
        Assert.Equal(["demo-request"], await RulesAsync(byEvent));
        Assert.Equal(["webinar"], await RulesAsync(byWebinar));
        var engagement = await api.GetJsonAsync($"/api/v1/people/{byEvent}");
        Assert.Equal((await api.GetJsonAsync($"/api/v1/people/{byForm}")).GetProperty("score").GetProperty("engagement").GetInt32(),
            engagement.GetProperty("score").GetProperty("engagement").GetInt32());
    }

    [Fact]
    public async Task A_public_write_key_does_not_merge_a_person_another_system_knows_into_someone_else()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        // Known to the CRM as well as to tracking, but without an email yet.
        var known = await api.CaptureLeadAsync(new
        {
            firstName = "Dana", externalIds = new[] { new { source = "tracking", id = "u-7" }, new { source = "crm", id = "0042" } },
        });
        var other = await api.CaptureLeadAsync(new { email = "someone.else@contoso.com", firstName = "Sam" });

        using (var website = Tracker(server, await server.CreateKeyAsync("ingest")))
            await SendAsync(website, "identify", new { userId = "u-7", traits = new { email = "someone.else@contoso.com" } });

        Assert.Equal(0, await CountAsync(server, "SELECT COUNT(*) FROM merges"));
        Assert.Equal(2, await CountAsync(server, "SELECT COUNT(*) FROM people WHERE merged_into_id IS NULL"));
        Assert.Equal("Dana", (await api.GetJsonAsync($"/api/v1/people/{known.Id()}")).GetProperty("firstName").GetString());

        using (var backend = Tracker(server, await server.CreateKeyAsync("ingest", "write")))
            await SendAsync(backend, "identify", new { userId = "u-7", traits = new { email = "someone.else@contoso.com" } });

        Assert.Equal(1, await CountAsync(server, "SELECT COUNT(*) FROM merges"));
        Assert.Equal(other.Id(), await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT merged_into_id FROM people WHERE id = @id", new { id = known.Id() }), TestContext.Current.CancellationToken));
    }
}

public sealed class TrackedIdentityTestsOnSqlite() : TrackedIdentityTests(DatabaseProvider.Sqlite);

public sealed class TrackedIdentityTestsOnPostgres() : TrackedIdentityTests(DatabaseProvider.Postgres);

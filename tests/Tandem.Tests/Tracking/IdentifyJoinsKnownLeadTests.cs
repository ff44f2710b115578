using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Tracking;

/// <summary>
/// Regression: a userId tracked before its identify became a second, email-less person, so a lead
/// captured through the API never saw its own website activity.
/// </summary>
public abstract class IdentifyJoinsKnownLeadTests(DatabaseProvider provider)
{
    [Fact]
    public async Task A_user_tracked_before_identify_is_merged_into_the_lead_with_that_email()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        using var tracker = server.Client();
        tracker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(await server.CreateKeyAsync("ingest") + ":")));
        var lead = await api.CaptureLeadAsync(new { email = "sam.rivera@northwind.com", firstName = "Sam" });

        (await tracker.PostAsJsonAsync("/v1/track", new { userId = "u-9", @event = "Pricing Viewed" }, ct)).EnsureSuccessStatusCode();
        var placeholder = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT person_id FROM person_external_ids WHERE source = 'tracking' AND external_id = 'u-9'"), ct);
        Assert.NotEqual(lead.Id(), placeholder);

        (await tracker.PostAsJsonAsync("/v1/identify", new
        {
            userId = "u-9", anonymousId = "visitor-9", traits = new { email = "Sam.Rivera@northwind.com", lastName = "Rivera" },
        }, ct)).EnsureSuccessStatusCode();
        (await tracker.PostAsJsonAsync("/v1/track", new { userId = "u-9", @event = "Demo Requested" }, ct)).EnsureSuccessStatusCode();

        var person = await api.GetJsonAsync($"/api/v1/people/{lead.Id()}");
        Assert.Equal("Rivera", person.GetProperty("lastName").GetString());
        Assert.Equal("Sam", person.GetProperty("firstName").GetString());
        Assert.Contains(person.GetProperty("externalIds").EnumerateArray(), e => e.GetProperty("id").GetString() == "u-9");
        var timeline = await api.GetJsonAsync($"/api/v1/people/{lead.Id()}/timeline");
        var types = timeline.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("type").GetString()).ToList();
        Assert.Contains("Pricing Viewed", types);
        Assert.Contains("identify", types);
        Assert.Contains("Demo Requested", types);
        Assert.Contains("merged", types);

        using var noRedirect = server.Client(await server.CreateKeyAsync("read"), followRedirects: false);
        Assert.Equal(HttpStatusCode.PermanentRedirect, (await noRedirect.GetAsync($"/api/v1/people/{placeholder}", ct)).StatusCode);
        var withEmail = await api.GetJsonAsync("/api/v1/people?email=sam.rivera@northwind.com");
        Assert.Equal(1, withEmail.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_user_who_already_has_another_email_is_not_merged_with_that_email_s_owner()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        using var tracker = server.Client();
        tracker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(await server.CreateKeyAsync("ingest") + ":")));
        var other = await api.CaptureLeadAsync(new { email = "shared-inbox@northwind.com" });
        (await tracker.PostAsJsonAsync("/v1/identify", new { userId = "u-1", traits = new { email = "ana@northwind.com" } }, ct)).EnsureSuccessStatusCode();

        (await tracker.PostAsJsonAsync("/v1/identify", new { userId = "u-1", traits = new { email = "shared-inbox@northwind.com" } }, ct)).EnsureSuccessStatusCode();

        var ana = await api.GetJsonAsync("/api/v1/people?email=ana@northwind.com");
        Assert.Equal(1, ana.GetProperty("items").GetArrayLength());
        Assert.NotEqual(other.Id(), ana.GetProperty("items")[0].Id());
        var merges = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM merges"), ct);
        Assert.Equal(0, merges);
    }
}

public sealed class IdentifyJoinsKnownLeadTestsOnSqlite() : IdentifyJoinsKnownLeadTests(DatabaseProvider.Sqlite);

public sealed class IdentifyJoinsKnownLeadTestsOnPostgres() : IdentifyJoinsKnownLeadTests(DatabaseProvider.Postgres);

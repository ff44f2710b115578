using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Api;

/// <summary>Capture, identity and listing through the real HTTP API, on each database.</summary>
public abstract class PeopleApiTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Capturing_the_same_email_twice_updates_one_person()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();

        var first = await api.PostAsJsonAsync("/api/v1/people", new { email = "  Ana.Silva@Lumen.IO ", firstName = "Ana" }, ct);
        var second = await api.PostAsJsonAsync("/api/v1/people", new { email = "ana.silva@lumen.io", title = "Head of Data" }, ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var a = await first.Content.ReadFromJsonAsync<JsonElement>(ct);
        var b = await second.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(a.Id(), b.Id());
        Assert.Equal("ana.silva@lumen.io", b.GetProperty("email").GetString());
        Assert.Equal("Ana", b.GetProperty("firstName").GetString());
        Assert.Equal("Head of Data", b.GetProperty("title").GetString());
        Assert.Equal("Lead", b.GetProperty("stage").GetString());
    }

    [Fact]
    public async Task External_id_identifies_a_person_across_email_changes()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var created = await api.CaptureLeadAsync(new { externalIds = new[] { new { source = "salesforce", id = "00Q1" } }, lastName = "Okafor" });
        var again = await api.CaptureLeadAsync(new { email = "ben@acme.io", externalIds = new[] { new { source = "salesforce", id = "00Q1" } } });

        Assert.Equal(created.Id(), again.Id());
        Assert.Equal("ben@acme.io", again.GetProperty("email").GetString());
        Assert.Equal("00Q1", again.GetProperty("externalIds")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Business_email_domains_match_accounts_and_free_mail_does_not()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var ana = await api.CaptureLeadAsync(new { email = "ana@northwind.com", company = "Northwind" });
        var ben = await api.CaptureLeadAsync(new { email = "ben@northwind.com" });
        var gmail = await api.CaptureLeadAsync(new { email = "cleo@gmail.com" });
        var byName = await api.CaptureLeadAsync(new { email = "dev@gmail.com", company = "Northwind, Inc." });

        var account = ana.GetProperty("account");
        Assert.Equal("northwind.com", account.GetProperty("domain").GetString());
        Assert.Equal(account.Id(), ben.GetProperty("account").Id());
        Assert.Equal(JsonValueKind.Null, gmail.GetProperty("account").ValueKind);
        Assert.Equal(account.Id(), byName.GetProperty("account").Id());
        var people = await api.GetJsonAsync($"/api/v1/people?accountId={account.Id()}");
        Assert.Equal(3, people.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Accounts_api_answered_500_for_every_account_until_its_columns_matched_the_row()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var ana = await api.CaptureLeadAsync(new { email = "ana@northwind.com", company = "Northwind" });
        await api.CaptureLeadAsync(new { email = "ben@northwind.com" });
        var accountId = ana.GetProperty("account").Id();

        var account = await api.GetJsonAsync($"/api/v1/accounts/{accountId}");
        var listed = await api.GetJsonAsync("/api/v1/accounts?domain=northwind.com");

        Assert.Equal("northwind.com", account.GetProperty("domain").GetString());
        Assert.Equal(2, account.GetProperty("people").GetInt64());
        Assert.Equal(accountId, Assert.Single(listed.EnumerateArray()).Id());
    }

    [Fact]
    public async Task Listing_filters_by_stage_and_pages_with_a_cursor()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        for (var i = 0; i < 7; i++) await api.CaptureLeadAsync(new { email = $"lead{i}@acme.io", lastName = $"Name{6 - i}" });
        await api.CaptureLeadAsync(new { email = "sub@acme.io", stage = "Subscriber" });

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await api.GetJsonAsync($"/api/v1/people?stage=Lead&sort=lastName&limit=3{(cursor is null ? "" : "&cursor=" + cursor)}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("lastName").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        } while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"Name{i}"), seen);
        var subscribers = await api.GetJsonAsync("/api/v1/people?stage=Subscriber");
        Assert.Equal("sub@acme.io", subscribers.GetProperty("items")[0].GetProperty("email").GetString());
    }

    [Fact]
    public async Task Unknown_filter_values_are_problems_naming_the_field()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var response = await api.GetAsync("/api/v1/people?stage=Hot&sort=shoeSize", ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty("stage", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("sort", out _));
    }

    [Fact]
    public async Task Patch_updates_fields_but_a_locked_field_keeps_its_value()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var person = await api.CaptureLeadAsync(new { email = "lock@acme.io", title = "CTO", lockFields = new[] { "title" } });

        var patched = await api.PatchAsJsonAsync($"/api/v1/people/{person.Id()}",
            new { title = "Intern", city = "Lisbon", customFields = new { plan = "pro" } }, ct);
        await patched.EnsureSuccessWithBodyAsync();
        var body = await patched.Content.ReadFromJsonAsync<JsonElement>(ct);

        Assert.Equal("CTO", body.GetProperty("title").GetString());
        Assert.Equal("Lisbon", body.GetProperty("city").GetString());
        Assert.Equal("pro", body.GetProperty("customFields").GetProperty("plan").GetString());
        Assert.Equal("title", body.GetProperty("lockedFields")[0].GetString());
    }

    [Fact]
    public async Task Logged_activities_appear_on_the_timeline_newest_first()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var person = await api.CaptureLeadAsync(new { email = "tl@acme.io" });
        var t = DateTimeOffset.UtcNow.AddHours(-2);
        (await api.PostAsJsonAsync($"/api/v1/people/{person.Id()}/activities", new { type = "call", occurredAt = t, properties = new { outcome = "voicemail" } }, ct)).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync($"/api/v1/people/{person.Id()}/activities", new { type = "meeting", occurredAt = t.AddHours(1) }, ct)).EnsureSuccessStatusCode();

        var timeline = await api.GetJsonAsync($"/api/v1/people/{person.Id()}/timeline");
        var types = timeline.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("type").GetString()).ToList();
        Assert.Equal(["stage_changed", "meeting", "call"], types);
        Assert.Equal("voicemail", timeline.GetProperty("items")[2].GetProperty("properties").GetProperty("outcome").GetString());

        var forged = await api.PostAsJsonAsync($"/api/v1/people/{person.Id()}/activities", new { type = "stage_changed" }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task Missing_person_is_a_404_problem()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var response = await api.GetAsync("/api/v1/people/987654", ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("987654", (await response.ProblemAsync()).GetProperty("detail").GetString());
    }
}

public sealed class PeopleApiTestsOnSqlite() : PeopleApiTests(DatabaseProvider.Sqlite);

public sealed class PeopleApiTestsOnPostgres() : PeopleApiTests(DatabaseProvider.Postgres);

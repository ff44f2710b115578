using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tandem.Server.Email;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Notifications;

namespace Tandem.Tests.Email;

public abstract class EmailApiTests(DatabaseProvider provider)
{
    private readonly ManualClock clock = new();

    private static object Welcome(string name = "Welcome") => new
    {
        name, kind = "marketing", topic = "newsletter", subject = "Welcome, {{firstName | default: \"friend\"}}",
        preheader = "Three things to try first", bodyMarkdown = "Hi {{firstName}} of {{company}},\n\nYour plan: {{custom.plan}}.\n\n{{owner.name}}",
    };

    [Fact]
    public async Task Settings_refuse_what_is_not_an_address_a_cap_or_a_colour_naming_each_field_and_say_what_is_missing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, clock);
        using var api = await server.AdminClientAsync();

        var bad = await api.PutAsJsonAsync("/api/v1/email/settings", new { fromAddress = "not-an-address", replyTo = "x@", frequencyCap = "3 a week", brandColor = "red" }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ProblemAsync()).GetProperty("errors");
        foreach (var field in new[] { "fromAddress", "replyTo", "frequencyCap", "brandColor" }) Assert.True(errors.TryGetProperty(field, out _), field);

        var ok = await api.PutAsJsonAsync("/api/v1/email/settings", new { fromName = "Lumen", fromAddress = "news@lumen.io", frequencyCap = "3/7", requireOptIn = true }, ct);
        await ok.EnsureSuccessWithBodyAsync();
        var settings = await api.GetJsonAsync("/api/v1/email/settings");
        Assert.Equal("news@lumen.io", settings.GetProperty("fromAddress").GetString());
        Assert.Equal("3/7", settings.GetProperty("frequencyCap").GetString());
        Assert.True(settings.GetProperty("requireOptIn").GetBoolean());
        Assert.False(settings.GetProperty("readyForMarketing").GetBoolean());
        Assert.Contains(settings.GetProperty("missing").EnumerateArray(), m => m.GetString()!.StartsWith("physicalAddress"));
    }

    [Fact]
    public async Task A_template_with_an_unknown_merge_field_is_refused_by_name_and_a_good_one_round_trips_and_previews_with_a_persons_data()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, clock);
        using var api = await server.AdminClientAsync();
        await server.ConfigureAsync();

        var bad = await api.PostAsJsonAsync("/api/v1/email/templates", new { name = "Bad", subject = "Hi {{firstname}}", bodyMarkdown = "{{owner.phone}}", topic = "gossip" }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ProblemAsync()).GetProperty("errors");
        Assert.Contains("'firstname'", errors.GetProperty("subject")[0].GetString());
        Assert.Contains("'owner.phone'", errors.GetProperty("bodyMarkdown")[0].GetString());
        Assert.True(errors.TryGetProperty("topic", out _));

        var created = await api.PostAsJsonAsync("/api/v1/email/templates", Welcome(), ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).Id();
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync("/api/v1/email/templates", Welcome(), ct)).StatusCode);
        Assert.Equal("newsletter", (await api.GetJsonAsync($"/api/v1/email/templates/{id}")).GetProperty("topic").GetString());

        var sam = (await api.CaptureLeadAsync(new { email = "sam@acme.io", firstName = "Sam", company = "Acme <Corp>", customFields = new { plan = "Pro" } })).Id();
        var preview = await (await api.PostAsJsonAsync($"/api/v1/email/templates/{id}/preview", new { personId = sam }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("Welcome, Sam", preview.GetProperty("subject").GetString());
        Assert.Contains("Hi Sam of Acme &lt;Corp&gt;,", preview.GetProperty("html").GetString());
        Assert.Contains("Your plan: Pro.", preview.GetProperty("text").GetString());
        var anonymous = await (await api.PostAsJsonAsync($"/api/v1/email/templates/{id}/preview", new { }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("Welcome, friend", anonymous.GetProperty("subject").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync($"/api/v1/email/templates/{id}/preview", new { personId = 999999 }, ct)).StatusCode);
        Assert.Equal(0, await server.Database.CountAsync("SELECT COUNT(*) FROM email_sends"));
    }

    [Fact]
    public async Task A_template_something_was_sent_from_cannot_be_deleted_and_the_persons_emails_list_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, clock, new Dictionary<string, string?> { ["Tandem:Email:SenderEnabled"] = "false" });
        using var api = await server.AdminClientAsync();
        await server.ConfigureAsync();
        var id = (await (await api.PostAsJsonAsync("/api/v1/email/templates", Welcome(), ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).Id();
        var unused = (await (await api.PostAsJsonAsync("/api/v1/email/templates", Welcome("Unused"), ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).Id();
        var sam = (await api.CaptureLeadAsync(new { email = "sam@acme.io", firstName = "Sam" })).Id();
        var sendId = (await server.QueueAsync(sam, id, clock)).SendId;

        var refused = await api.DeleteAsync($"/api/v1/email/templates/{id}", ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(1, (await refused.ProblemAsync()).GetProperty("sends").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/email/templates/{unused}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/email/templates/{unused}", ct)).StatusCode);

        var emails = await api.GetJsonAsync($"/api/v1/people/{sam}/emails");
        var email = Assert.Single(emails.EnumerateArray());
        Assert.Equal(sendId, email.Id());
        Assert.Equal("queued", email.GetProperty("status").GetString());
        Assert.Equal("Welcome", email.GetProperty("templateName").GetString());
        Assert.Equal(0, email.GetProperty("opens").GetInt32());
    }

    [Fact]
    public async Task A_test_send_reaches_the_relay_marked_test_and_is_recorded_nowhere()
    {
        var ct = TestContext.Current.CancellationToken;
        using var sink = await SmtpSink.StartAsync();
        await using var server = await TandemServer.StartAsync(provider, clock, EmailSenderTests.Relay(sink));
        using var api = await server.AdminClientAsync();
        await server.ConfigureAsync();
        var id = (await (await api.PostAsJsonAsync("/api/v1/email/templates", Welcome(), ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).Id();
        var sam = (await api.CaptureLeadAsync(new { email = "sam@acme.io", firstName = "Sam" })).Id();

        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync($"/api/v1/email/templates/{id}/test-send", new { to = "nope" }, ct)).StatusCode);
        var sent = await api.PostAsJsonAsync($"/api/v1/email/templates/{id}/test-send", new { to = "me@lumen.io", personId = sam }, ct);
        await sent.EnsureSuccessWithBodyAsync();

        var message = Assert.Single(await sink.WaitForMimeAsync(1));
        Assert.Equal("[Test] Welcome, Sam", message.Subject);
        Assert.Equal("me@lumen.io", message.To.Mailboxes.Single().Address);
        Assert.NotNull(message.HtmlBody);
        Assert.NotNull(message.TextBody);
        Assert.Equal(0, await server.Database.CountAsync("SELECT COUNT(*) FROM email_sends"));
        Assert.Equal(0, await server.Database.CountAsync("SELECT COUNT(*) FROM activities WHERE type LIKE 'email%'"));

        var rejected = await api.PostAsJsonAsync($"/api/v1/email/templates/{id}/test-send", new { to = "reject@lumen.io" }, ct);
        Assert.Equal(HttpStatusCode.BadGateway, rejected.StatusCode);
        Assert.Contains("550", (await rejected.ProblemAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Email_endpoints_need_the_email_scopes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, clock);
        using var writer = server.Client(await server.CreateKeyAsync(Tandem.Server.Security.Scopes.Write));
        using var emailReader = server.Client(await server.CreateKeyAsync(Tandem.Server.Security.Scopes.EmailRead));

        Assert.Equal(HttpStatusCode.Forbidden, (await writer.PostAsJsonAsync("/api/v1/email/templates", Welcome(), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await emailReader.PostAsJsonAsync("/api/v1/email/templates", Welcome(), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await emailReader.GetAsync("/api/v1/email/templates", ct)).StatusCode);
    }
}

public sealed class EmailApiTestsOnSqlite() : EmailApiTests(DatabaseProvider.Sqlite);

public sealed class EmailApiTestsOnPostgres() : EmailApiTests(DatabaseProvider.Postgres);

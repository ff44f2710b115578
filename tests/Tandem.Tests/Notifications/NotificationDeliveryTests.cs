using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Tandem.Server.Hosting;
using Tandem.Server.Notifications;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Routing;
using Tandem.Tests.Sla;

namespace Tandem.Tests.Notifications;

public abstract class NotificationDeliveryTests(DatabaseProvider provider)
{
    /// <summary>The outbox is checked often, so a test waits little for what is due; what is due is up to the server's clock.</summary>
    private static readonly Dictionary<string, string?> FastPolling = new() { ["Tandem:Notifications:PollMilliseconds"] = "50" };

    /// <summary>For tests on the real clock: a failed attempt is retried within a moment.</summary>
    private static readonly Dictionary<string, string?> FastRetries = new(FastPolling) { ["Tandem:Notifications:RetryBaseSeconds"] = "0.3" };

    private static async Task<(long Rep, long Manager)> OneRepTeamAsync(TandemServer server, HttpClient api)
    {
        var (rep, manager) = (await server.HireAsync("Riley"), await server.HireAsync("Sam", Tandem.Server.Users.Roles.SalesManager));
        var team = await api.CreateTeamAsync("Inbound", [rep], manager: manager);
        await api.CreateRuleAsync("Everyone", team);
        return (rep, manager);
    }

    private static async Task<string> SubscribeAsync(HttpClient api, string url, params string[] events)
    {
        var response = await api.PostAsJsonAsync("/api/v1/webhooks", new { name = "crm", url, events });
        await response.EnsureSuccessWithBodyAsync();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    /// <summary>The receiver may hear of a delivery a moment before its outcome is committed to the log: wait for the log.</summary>
    private static Task<JsonElement> SettledLogAsync(HttpClient api, string query, int count) =>
        Poll.UntilAsync(() => api.GetJsonAsync("/api/v1/notifications/deliveries?" + query),
            log => log.GetArrayLength() >= count && log.EnumerateArray().All(d => d.GetProperty("status").GetString() != "pending"),
            $"{count} deliveries for '{query}' have settled");

    /// <summary>The one webhook delivery of a lead, once its log shows the given number of attempts.</summary>
    private static async Task<JsonElement> AfterAttemptAsync(HttpClient api, long lead, int attempts) =>
        (await Poll.UntilAsync(() => api.GetJsonAsync($"/api/v1/notifications/deliveries?personId={lead}&channel=webhook"),
            log => log.GetArrayLength() == 1 && log[0].GetProperty("attempts").GetInt32() >= attempts,
            $"the delivery for lead {lead} has had {attempts} attempts"))[0];

    [Fact]
    public async Task A_web_form_lead_that_qualifies_reaches_the_reps_signed_webhook_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await TandemServer.StartAsync(provider, clock, FastPolling);
        using var api = await server.AdminClientAsync();
        var (rep, manager) = await OneRepTeamAsync(server, api);
        var secret = await SubscribeAsync(api, receiver.Url, "lead.assigned");
        var form = await (await api.PostAsJsonAsync("/api/v1/forms", new { name = "Demo request" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        using var browser = server.Client(followRedirects: false);
        (await browser.PostAsync(form.GetProperty("action").GetString(),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "ines@vandelay.com", ["firstName"] = "Ines" }), ct)).EnsureSuccessStatusCode();
        var lead = (await api.GetJsonAsync("/api/v1/people?email=ines@vandelay.com")).GetProperty("items")[0].Id();

        var qualifiedAt = clock.GetUtcNow();
        await api.QualifyAsync(lead);
        var got = await receiver.WaitForAsync(r => r.Count >= 2);

        // The server's clock stands still and a delivery goes out only once its time has come, so these were due
        // the instant the lead qualified: sent at once and delivered at the first attempt, with no retry or wait.
        var log = await SettledLogAsync(api, $"personId={lead}", 2);
        Assert.Equal(2, log.GetArrayLength());
        Assert.All(log.EnumerateArray(), d =>
        {
            Assert.Equal("delivered", d.GetProperty("status").GetString());
            Assert.Equal(1, d.GetProperty("attempts").GetInt32());
            Assert.Equal(qualifiedAt, d.Instant("deliveredAt"));
        });
        Assert.Equal(new[] { rep, manager }.Order(), log.EnumerateArray().Select(d => d.GetProperty("userId").GetInt64()).Order());
        var now = clock.GetUtcNow();
        foreach (var r in got)
        {
            Assert.True(WebhookSignature.Verify(secret, r.Headers["Tandem-Signature"], r.Body, now, TimeSpan.FromMinutes(5)));
            Assert.False(WebhookSignature.Verify(secret + "x", r.Headers["Tandem-Signature"], r.Body, now, TimeSpan.FromMinutes(5)));
            Assert.False(WebhookSignature.Verify(secret, r.Headers["Tandem-Signature"], r.Body.Replace("Ines", "Eve"), now, TimeSpan.FromMinutes(5)));
            Assert.False(WebhookSignature.Verify(secret, r.Headers["Tandem-Signature"], r.Body, now.AddMinutes(10), TimeSpan.FromMinutes(5))); // a replay, later
            Assert.Equal("lead.assigned", r.Headers["Tandem-Event"]);
        }
        var bodies = got.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.All(bodies, b => Assert.Equal(rep, b.GetProperty("data").GetProperty("owner").GetProperty("id").GetInt64()));
        Assert.All(bodies, b => Assert.Equal("ines@vandelay.com", b.GetProperty("data").GetProperty("person").GetProperty("email").GetString()));
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_with_growing_waits_and_the_log_shows_every_attempt()
    {
        var clock = new ManualClock();
        var backoff = TimeSpan.FromSeconds(10);
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2);
        await using var server = await TandemServer.StartAsync(provider, clock, new Dictionary<string, string?>(FastPolling)
        {
            ["Tandem:Notifications:RetryBaseSeconds"] = backoff.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var api = await server.AdminClientAsync();
        await OneRepTeamAsync(server, api);
        await SubscribeAsync(api, receiver.Url, "lead.*");
        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE teams SET manager_user_id = NULL", transaction: tx), TestContext.Current.CancellationToken);
        var start = clock.GetUtcNow();
        var lead = await api.QualifyAsync((await api.CaptureLeadAsync(new { email = "retry@acme.io" })).Id());

        // Refused once: the next attempt is set for one base backoff later on the server's clock, and until that clock
        // moves nothing more is sent.
        var first = await AfterAttemptAsync(api, lead, 1);
        Assert.Equal("pending", first.GetProperty("status").GetString());
        Assert.Equal(start + backoff, first.Instant("nextAttemptAt"));
        Assert.Single(receiver.Requests);

        // Refused again: the wait doubles.
        clock.Advance(backoff);
        var second = await AfterAttemptAsync(api, lead, 2);
        Assert.Equal("pending", second.GetProperty("status").GetString());
        Assert.Equal(start + backoff + 2 * backoff, second.Instant("nextAttemptAt"));

        clock.Advance(2 * backoff);
        var delivery = (await SettledLogAsync(api, $"personId={lead}&channel=webhook", 1))[0];
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        var history = delivery.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal([503, 503, 200], history.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal([start, start + backoff, start + 3 * backoff], history.Select(a => a.Instant("at")));
        Assert.Contains("503", history[0].GetProperty("error").GetString());
        Assert.Equal([503, 503, 200], receiver.Requests.Select(r => r.AnsweredWith));
        Assert.Single(receiver.Requests.Select(r => r.Headers["Tandem-Delivery"]).Distinct()); // one delivery, three attempts
    }

    [Fact]
    public async Task Assignment_email_reaches_the_rep_through_a_real_SMTP_server()
    {
        using var smtp = await SmtpSink.StartAsync();
        await using var server = await TandemServer.StartAsync(provider, settings: new Dictionary<string, string?>(FastRetries)
        {
            ["Tandem:Notifications:Smtp:Host"] = "127.0.0.1",
            ["Tandem:Notifications:Smtp:Port"] = smtp.Port.ToString(),
            ["Tandem:Notifications:Smtp:From"] = "tandem@lumen.example",
        });
        using var api = await server.AdminClientAsync();
        await OneRepTeamAsync(server, api);
        var lead = (await api.CaptureLeadAsync(new { email = "mail@acme.io", firstName = "Mara", company = "Acme" })).Id();

        await api.QualifyAsync(lead);
        var messages = await smtp.WaitForMessagesAsync(2);

        var toRep = Assert.Single(messages, m => m.Contains("X-Envelope-To: riley@lumen.example"));
        Assert.Contains("Subject: New lead for you: Mara (Acme)", toRep);
        Assert.Contains("chose Riley", toRep);
        Assert.Contains("stage: MQL", toRep);
        var toManager = Assert.Single(messages, m => m.Contains("X-Envelope-To: sam@lumen.example"));
        Assert.Contains("Subject: Riley got a new lead: Mara (Acme)", toManager);
        var log = await SettledLogAsync(api, "channel=email", 2);
        Assert.Equal(2, log.GetArrayLength());
        Assert.All(log.EnumerateArray(), d => Assert.Equal("delivered", d.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Subscriptions_get_only_their_events_and_bad_subscriptions_are_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await TandemServer.StartAsync(provider, settings: FastRetries);
        using var api = await server.AdminClientAsync();
        await SubscribeAsync(api, receiver.Url, "lead.unassigned");
        var bad = await api.PostAsJsonAsync("/api/v1/webhooks", new { name = "x", url = "ftp://nope", events = new[] { "Lead Assigned" } }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ProblemAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("url", out _));
        Assert.True(errors.TryGetProperty("events", out _));
        await OneRepTeamAsync(server, api);
        await api.QualifyAsync((await api.CaptureLeadAsync(new { email = "routed@acme.io" })).Id());
        (await api.DeleteAsync($"/api/v1/routing/rules/{(await api.GetJsonAsync("/api/v1/routing/rules"))[0].Id()}", ct)).EnsureSuccessStatusCode();
        var lost = await api.QualifyAsync((await api.CaptureLeadAsync(new { email = "nobody@acme.io" })).Id());

        await server.Database.UntilEveryDeliverySettledAsync();

        var only = Assert.Single(receiver.Requests);
        Assert.Equal("lead.unassigned", only.Headers["Tandem-Event"]);
        Assert.Equal(lost, JsonDocument.Parse(only.Body).RootElement.GetProperty("data").GetProperty("person").GetProperty("id").GetInt64());
    }
}

public sealed class NotificationDeliveryTestsOnSqlite() : NotificationDeliveryTests(DatabaseProvider.Sqlite);

public sealed class NotificationDeliveryTestsOnPostgres() : NotificationDeliveryTests(DatabaseProvider.Postgres);

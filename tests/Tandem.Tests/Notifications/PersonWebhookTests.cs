using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Notifications;

/// <summary>Webhook events about people, and the admin's Webhooks page.</summary>
public abstract class PersonWebhookTests(DatabaseProvider provider)
{
    private static readonly Dictionary<string, string?> FastPolling = new() { ["Tandem:Notifications:PollMilliseconds"] = "50" };

    private static JsonElement Body(WebhookReceiver.Received r) => JsonDocument.Parse(r.Body).RootElement;

    [Fact]
    public async Task A_subscriber_to_person_events_hears_of_creation_updates_stage_changes_mql_scores_and_merges()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await TandemServer.StartAsync(provider, settings: FastPolling);
        using var api = await server.AdminClientAsync();
        (await api.PostAsJsonAsync("/api/v1/webhooks", new { name = "crm", url = receiver.Url, events = new[] { "person.*" } }, ct)).EnsureSuccessStatusCode();

        var ada = (await api.CaptureLeadAsync(new { email = "ada@people.example", firstName = "Ada" })).Id();
        (await api.PatchAsJsonAsync($"/api/v1/people/{ada}", new { title = "CTO" }, ct)).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync($"/api/v1/people/{ada}/activities", new { type = "page_view", properties = new { url = "https://lumen.example/pricing" } }, ct))
            .EnsureSuccessStatusCode();
        (await api.MoveStageAsync(ada, "MQL")).EnsureSuccessStatusCode();
        var duplicate = (await api.CaptureLeadAsync(new { email = "ada.lovelace@people.example" })).Id();
        (await api.PostAsJsonAsync("/api/v1/people/merge", new { survivorId = ada, mergedId = duplicate }, ct)).EnsureSuccessStatusCode();

        string[] expected = ["person.created", "person.updated", "person.score_changed", "person.stage_changed", "person.became_mql", "person.merged"];
        bool ScoredByTheVisit(WebhookReceiver.Received r) =>
            r.Headers["Tandem-Event"] == "person.score_changed" && Body(r).GetProperty("data").GetProperty("cause").GetString() == "activity";
        var got = await receiver.WaitForAsync(r => r.Any(ScoredByTheVisit) &&
            expected.All(e => r.Any(x => x.Headers["Tandem-Event"] == e && Body(x).GetProperty("data").GetProperty("person").GetProperty("id").GetInt64() == ada)));
        var mql = Body(got.First(r => r.Headers["Tandem-Event"] == "person.became_mql")).GetProperty("data");
        Assert.Equal("ada@people.example", mql.GetProperty("person").GetProperty("email").GetString());
        Assert.Equal("MQL", mql.GetProperty("to").GetString());
        var updated = Body(got.First(r => r.Headers["Tandem-Event"] == "person.updated" && Body(r).GetProperty("data").GetProperty("person").GetProperty("id").GetInt64() == ada));
        Assert.Contains("title", updated.GetProperty("data").GetProperty("changed").EnumerateArray().Select(c => c.GetString()));
        var score = Body(got.First(ScoredByTheVisit)).GetProperty("data");
        Assert.True(score.GetProperty("to").GetProperty("engagement").GetInt64() > score.GetProperty("from").GetProperty("engagement").GetInt64());
    }

    [Fact]
    public async Task People_events_nobody_subscribed_to_write_no_notifications()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, settings: FastPolling);
        using var api = await server.AdminClientAsync();
        var lead = (await api.CaptureLeadAsync(new { email = "quiet@people.example" })).Id();
        (await api.MoveStageAsync(lead, "MQL")).EnsureSuccessStatusCode();

        Assert.Equal(0, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notifications WHERE event LIKE 'person.%'"), ct));
    }

    [Fact]
    public async Task An_admin_subscribes_on_the_webhooks_page_sees_deliveries_retries_a_failed_one_and_unsubscribes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 1);
        await using var server = await TandemServer.StartAsync(provider,
            settings: new Dictionary<string, string?>(FastPolling) { ["Tandem:Notifications:MaxAttempts"] = "1" });
        var users = server.Services.GetRequiredService<UserStore>();
        await users.EnsureAsync("admin@hooks.example", "Avery", Roles.Admin, WebWorld.Password, ct);
        await users.EnsureAsync("maya@hooks.example", "Maya", Roles.Marketing, WebWorld.Password, ct);
        using var marketer = await WebSession.SignInAsync(server, "maya@hooks.example");
        Assert.NotEqual(HttpStatusCode.OK, (await marketer.GetAsync("/admin/webhooks")).StatusCode);

        using var admin = await WebSession.SignInAsync(server, "admin@hooks.example");
        var refused = await admin.SubmitAsync("/admin/webhooks?handler=Create", new() { ["name"] = "Metadata", ["url"] = "https://169.254.169.254/latest" },
            formPage: "/admin/webhooks");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("metadata", await refused.Content.ReadAsStringAsync(ct));

        var created = await admin.SubmitAsync("/admin/webhooks?handler=Create", new() { ["name"] = "CRM sync", ["url"] = receiver.Url },
            formPage: "/admin/webhooks", repeated: [new("events", "person.created")]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var page = await admin.GetPageAsync(created.Headers.Location!.ToString());
        Assert.Contains("data-testid=\"new-secret\">whsec_", page);
        Assert.Contains("CRM sync", page);

        using var api = await server.AdminClientAsync();
        await api.CaptureLeadAsync(new { email = "first@hooks.example" });
        await server.Database.UntilEveryDeliverySettledAsync();
        var failed = await server.Database.ReadAsync(c => c.QuerySingleAsync<long>("SELECT id FROM notification_deliveries WHERE status = 'failed'"), ct);
        Assert.Contains($"data-delivery=\"{failed}\"", await admin.GetPageAsync("/admin/webhooks"));

        var retried = await admin.SubmitAsync("/admin/webhooks?handler=Retry", new() { ["id"] = failed.ToString() }, formPage: "/admin/webhooks");
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        await server.Database.UntilEveryDeliverySettledAsync();
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Contains(">delivered<", await admin.GetPageAsync("/admin/webhooks"));

        var id = (await api.GetJsonAsync("/api/v1/webhooks"))[0].GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync("/admin/webhooks?handler=Delete", new() { ["id"] = id.ToString() }, formPage: "/admin/webhooks")).StatusCode);
        Assert.Equal(0, (await api.GetJsonAsync("/api/v1/webhooks")).GetArrayLength());
    }
}

public sealed class PersonWebhookTestsOnSqlite() : PersonWebhookTests(DatabaseProvider.Sqlite);

public sealed class PersonWebhookTestsOnPostgres() : PersonWebhookTests(DatabaseProvider.Postgres);

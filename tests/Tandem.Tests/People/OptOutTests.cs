using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.People;

/// <summary>Opt-outs only accumulate from capture; lifting one is a deliberate act with a reason, in the audit log.</summary>
public abstract class OptOutTests(DatabaseProvider provider)
{
    private static async Task<(bool DoNotEmail, bool DoNotCall, bool Unsubscribed)> ConsentAsync(HttpClient api, long id)
    {
        var consent = (await api.GetJsonAsync($"/api/v1/people/{id}")).GetProperty("consent");
        return (consent.GetProperty("doNotEmail").GetBoolean(), consent.GetProperty("doNotCall").GetBoolean(), consent.GetProperty("unsubscribed").GetBoolean());
    }

    /// <summary>Regression: a CRM sync or an identify sending "unsubscribed": false re-subscribed people who had opted out.</summary>
    [Fact]
    public async Task Capture_saying_not_opted_out_never_lifts_an_opt_out()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var lead = (await api.CaptureLeadAsync(new
        {
            email = "opted.out@contoso.com", externalIds = new[] { new { source = "tracking", id = "u-5" } },
            consent = new { doNotEmail = true, doNotCall = true, unsubscribed = true },
        })).Id();
        var none = new { doNotEmail = false, doNotCall = false, unsubscribed = false };
        using var tracker = server.Client();
        tracker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(await server.CreateKeyAsync("ingest") + ":")));

        await api.CaptureLeadAsync(new { email = "opted.out@contoso.com", consent = none });
        (await api.PatchAsJsonAsync($"/api/v1/people/{lead}", new { consent = none }, ct)).EnsureSuccessStatusCode();
        (await tracker.PostAsJsonAsync("/v1/identify", new { userId = "u-5", traits = none }, ct)).EnsureSuccessStatusCode();

        Assert.Equal((true, true, true), await ConsentAsync(api, lead));
    }

    [Fact]
    public async Task Capture_still_adds_an_opt_out()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var lead = (await api.CaptureLeadAsync(new { email = "opting.out@contoso.com" })).Id();

        await api.CaptureLeadAsync(new { email = "opting.out@contoso.com", consent = new { doNotCall = true } });

        Assert.Equal((false, true, false), await ConsentAsync(api, lead));
    }

    [Fact]
    public async Task Lifting_an_opt_out_takes_the_write_scope_and_a_reason_and_is_audited()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var lead = (await api.CaptureLeadAsync(new
            { email = "call.me@contoso.com", consent = new { doNotEmail = true, doNotCall = true, unsubscribed = true } })).Id();
        using var reader = server.Client(await server.CreateKeyAsync("read"));
        using var writer = server.Client(await server.CreateKeyAsync("write"));
        var url = $"/api/v1/people/{lead}/opt-outs/lift";

        var denied = await reader.PostAsJsonAsync(url, new { optOut = "doNotCall", reason = "asked to be called" }, ct);
        var noReason = await writer.PostAsJsonAsync(url, new { optOut = "doNotCall" }, ct);
        var unsubscribe = await writer.PostAsJsonAsync(url, new { optOut = "unsubscribed", reason = "they said so" }, ct);
        var lifted = await writer.PostAsJsonAsync(url, new { optOut = "doNotCall", reason = "Asked on the phone to be called back" }, ct);

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.ProblemAsync()).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.BadRequest, unsubscribe.StatusCode);
        Assert.True((await unsubscribe.ProblemAsync()).GetProperty("errors").TryGetProperty("optOut", out _));
        await lifted.EnsureSuccessWithBodyAsync();
        Assert.False((await lifted.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("consent").GetProperty("doNotCall").GetBoolean());
        Assert.Equal((true, false, true), await ConsentAsync(api, lead));
        var audit = await server.Database.ReadAsync(c => c.QueryAsync<(string Action, string Target, string Detail, string ActorKind)>(
            "SELECT action, target, detail, actor_kind FROM audit_log WHERE action = 'person.opt_out_lifted'"), ct);
        var entry = Assert.Single(audit);
        Assert.Equal($"person {lead}", entry.Target);
        Assert.Contains("Asked on the phone to be called back", entry.Detail);
        Assert.Contains("doNotCall", entry.Detail);
        Assert.Equal("key", entry.ActorKind);
    }

    [Fact]
    public async Task Marketing_lifts_an_opt_out_from_the_person_page_and_sales_cannot()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE people SET do_not_email = 1 WHERE id = @id", new { id = world.RileyLead }, tx), ct);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);
        var page = $"/people/{world.RileyLead}";

        Assert.DoesNotContain("data-testid=\"lift-doNotEmail\"", await riley.GetPageAsync(page));
        var refused = await riley.SubmitAsync($"{page}?handler=LiftOptOut", new() { ["optOut"] = "doNotEmail", ["reason"] = "I want to email them" }, formPage: page);
        Assert.Contains("data-testid=\"lift-doNotEmail\"", await maya.GetPageAsync(page));
        var lifted = await maya.SubmitAsync($"{page}?handler=LiftOptOut", new() { ["optOut"] = "doNotEmail", ["reason"] = "Opted back in at the trade show" }, formPage: page);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, lifted.StatusCode);
        Assert.Equal(0, await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT do_not_email FROM people WHERE id = @id", new { id = world.RileyLead }), ct));
        var actor = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<string>(
            "SELECT actor_name FROM audit_log WHERE action = 'person.opt_out_lifted' AND target = @target", new { target = $"person {world.RileyLead}" }), ct);
        Assert.Equal(Emails.Marketing, actor);
    }
}

public sealed class OptOutTestsOnSqlite() : OptOutTests(DatabaseProvider.Sqlite);

public sealed class OptOutTestsOnPostgres() : OptOutTests(DatabaseProvider.Postgres);

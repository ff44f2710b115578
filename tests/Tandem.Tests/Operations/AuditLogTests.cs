using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Operations;

/// <summary>Sign-ins, users, keys, settings and exports leave an entry saying who, when, what and from where; admins read it.</summary>
public abstract class AuditLogTests(DatabaseProvider provider)
{
    private static async Task<List<JsonElement>> EntriesAsync(HttpClient admin, string query = "")
    {
        var page = await admin.GetJsonAsync("/api/v1/audit?limit=1000" + query);
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    private static JsonElement Single(List<JsonElement> entries, string action) =>
        Assert.Single(entries, e => e.GetProperty("action").GetString() == action);

    [Fact]
    public async Task Sign_ins_user_and_key_changes_settings_and_exports_are_recorded_with_who_and_from_where()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock();
        await using var server = await TandemServer.StartAsync(provider, clock);
        var world = await WebWorld.CreateAsync(server);
        using var api = server.Client(await server.CreateKeyAsync(Scopes.Admin));
        using var reader = server.Client(await server.CreateKeyAsync(Scopes.Read));

        using (var stranger = WebSession.Anonymous(server))
            await stranger.SubmitAsync("/signin", new() { ["Email"] = Emails.Riley, ["Password"] = "not-her-password" });
        using var admin = await WebSession.SignInAsync(server, Emails.Admin);
        await admin.SubmitAsync("/admin/users?handler=Role", new() { ["id"] = world.Users[Emails.Riley].ToString(), ["role"] = "sales_manager" }, formPage: "/admin/users");
        await admin.SubmitAsync("/admin/users?handler=Active", new() { ["id"] = world.Users[Emails.Jordan].ToString(), ["active"] = "false" }, formPage: "/admin/users");
        var created = await api.PostAsJsonAsync("/api/v1/keys", new { name = "zapier", scopes = new[] { "write" } }, ct);
        var createdId = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("info").GetProperty("id").GetInt64();
        (await api.DeleteAsync($"/api/v1/keys/{createdId}", ct)).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync("/api/v1/definitions/reason-codes/lost", new { codes = new[] { new { code = "price" }, new { code = "timing" } } }, ct))
            .EnsureSuccessStatusCode();
        var refused = await api.PutAsJsonAsync("/api/v1/definitions/reason-codes/lost", new { codes = new[] { new { code = "Not A Code!" } } }, ct);
        (await api.PutAsJsonAsync("/api/v1/email/settings", new { fromAddress = "news@t.example", physicalAddress = "1 Main St" }, ct)).EnsureSuccessStatusCode();
        (await api.GetAsync("/api/v1/people/export?stage=MQL", ct)).EnsureSuccessStatusCode();

        var entries = await EntriesAsync(api);
        var failed = Single(entries, "signin.failed");
        var signedIn = Single(entries, "signin.succeeded");
        var role = Single(entries, "user.role_changed");
        var deactivated = Single(entries, "user.deactivated");
        var keyCreated = Assert.Single(entries, e => e.GetProperty("action").GetString() == "key.created" && e.GetProperty("detail").GetProperty("name").GetString() == "zapier");
        var keyRevoked = Single(entries, "key.revoked");
        var reasons = Single(entries, "settings.reason_codes.replaced");
        var email = Single(entries, "settings.email.changed");
        var export = Single(entries, "export.people");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(Emails.Riley, failed.GetProperty("target").GetString());
        Assert.Equal("wrong password", failed.GetProperty("detail").GetProperty("reason").GetString());
        Assert.Equal("anonymous", failed.GetProperty("actorKind").GetString());
        Assert.Equal("127.0.0.1", failed.GetProperty("ip").GetString());
        Assert.Equal(Emails.Admin, signedIn.GetProperty("actorName").GetString());
        Assert.Equal(("user", Emails.Admin, Emails.Riley), (role.GetProperty("actorKind").GetString(), role.GetProperty("actorName").GetString(), role.GetProperty("target").GetString()));
        Assert.Equal("sales_manager", role.GetProperty("detail").GetProperty("to").GetString());
        Assert.Equal(Emails.Jordan, deactivated.GetProperty("target").GetString());
        Assert.Equal("key", keyCreated.GetProperty("actorKind").GetString());
        Assert.Equal($"key {createdId}", keyRevoked.GetProperty("target").GetString()![..$"key {createdId}".Length]);
        Assert.Equal("lost", reasons.GetProperty("target").GetString());
        Assert.Equal(2, reasons.GetProperty("detail").GetProperty("codes").GetArrayLength());
        Assert.Equal("news@t.example", email.GetProperty("detail").GetProperty("fromAddress").GetString());
        Assert.Contains("stage=MQL", export.GetProperty("detail").GetProperty("filters").GetString());
        Assert.All(entries, e => Assert.Equal(clock.GetUtcNow(), e.GetProperty("at").GetDateTimeOffset()));
        // The oldest: the built-in scoring model Tandem published for itself at first start.
        Assert.Equal(["settings.email.changed", "settings.reason_codes.replaced", "settings.scoring.published"],
            (await EntriesAsync(api, "&action=settings.")).Select(e => e.GetProperty("action").GetString()).ToList());

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/v1/audit", ct)).StatusCode);
        var page = await admin.GetPageAsync("/settings/audit?action=user.role_changed");
        Assert.Contains("<code>user.role_changed</code>", page);
        Assert.DoesNotContain("<code>signin.failed</code>", page);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);
        var denied = await maya.GetAsync("/settings/audit");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/forbidden", denied.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task The_audit_api_pages_newest_first_and_rejects_a_bad_limit_with_a_problem_naming_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        for (var i = 0; i < 5; i++) await server.CreateKeyAsync(Scopes.Read);

        var first = await api.GetJsonAsync("/api/v1/audit?action=key.created&limit=4");
        var next = first.GetProperty("nextBefore").GetInt64();
        var second = await api.GetJsonAsync($"/api/v1/audit?action=key.created&limit=4&before={next}");
        var bad = await api.GetAsync("/api/v1/audit?limit=0", ct);

        var ids = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(6, ids.Count);
        Assert.Equal(ids.OrderByDescending(i => i), ids);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextBefore").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.ProblemAsync()).GetProperty("errors").TryGetProperty("limit", out _));
    }
}

public sealed class AuditLogTestsOnSqlite() : AuditLogTests(DatabaseProvider.Sqlite);

public sealed class AuditLogTestsOnPostgres() : AuditLogTests(DatabaseProvider.Postgres);

using System.Net;
using System.Net.Http.Json;
using Dapper;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using static Tandem.Tests.Infrastructure.WebWorld;

namespace Tandem.Tests.Web;

/// <summary>The shared reason codes: kept in the database, changed on the Definitions page or through the API, used at once.</summary>
public abstract class ReasonCodeTests(DatabaseProvider provider)
{
    private static Task<HttpResponseMessage> AddAsync(WebSession session, string list, string code, string? stage = null) =>
        session.SubmitAsync("/definitions?handler=Add",
            stage is null ? new() { ["list"] = list, ["code"] = code } : new() { ["list"] = list, ["code"] = code, ["stage"] = stage },
            formPage: "/definitions");

    [Fact]
    public async Task Marketing_adds_a_rejection_reason_and_a_rep_can_reject_with_it_straight_away()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);
        using var riley = await WebSession.SignInAsync(server, Emails.Riley);

        var added = await AddAsync(maya, "reject", "went-dark", "Recycled");
        var rejected = await riley.SubmitAsync($"/people/{world.RileyLead}?handler=Handoff",
            new() { ["Action"] = "reject", ["ReasonCode"] = "went-dark" }, formPage: $"/people/{world.RileyLead}");

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);
        var stage = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT stage FROM people WHERE id = @id", new { id = world.RileyLead }), ct);
        Assert.Equal("Recycled", stage);
        Assert.Contains("went-dark", await maya.GetPageAsync("/definitions"));
        using var api = await server.AdminClientAsync();
        var reasons = await api.GetJsonAsync("/api/v1/handoff/reasons");
        Assert.Contains(reasons.GetProperty("reject").EnumerateArray(),
            r => r.GetProperty("code").GetString() == "went-dark" && r.GetProperty("stage").GetString() == "Recycled");
    }

    [Fact]
    public async Task A_removed_code_is_refused_from_then_on_while_history_keeps_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        var world = await WebWorld.CreateAsync(server);
        using var api = await server.AdminClientAsync();
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);
        (await api.MoveStageAsync(world.RileyLead, "Disqualified", "spam")).EnsureSuccessStatusCode();

        var removed = await maya.SubmitAsync("/definitions?handler=Remove", new() { ["list"] = "disqualified", ["code"] = "spam" }, formPage: "/definitions");
        var again = await api.MoveStageAsync(world.RileySecondLead, "Disqualified", "spam");

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("reasonCode", await again.Content.ReadAsStringAsync(ct));
        var history = await api.GetJsonAsync($"/api/v1/people/{world.RileyLead}/stages");
        Assert.Equal("spam", history.EnumerateArray().Last().GetProperty("reasonCode").GetString());
    }

    [Fact]
    public async Task A_bad_code_the_last_code_and_the_lost_deal_code_are_refused_with_the_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var maya = await WebSession.SignInAsync(server, Emails.Marketing);
        using var api = await server.AdminClientAsync();

        var bad = await AddAsync(maya, "lost", "No Budget!");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("is not a reason code: use 1-50 lowercase letters", await bad.Content.ReadAsStringAsync(ct));

        var lostDeal = await maya.SubmitAsync("/definitions?handler=Remove", new() { ["list"] = "recycled", ["code"] = "lost-deal" }, formPage: "/definitions");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, lostDeal.StatusCode);
        Assert.Contains("lost deals go back to nurture with it", await lostDeal.Content.ReadAsStringAsync(ct));

        var empty = await api.PutAsJsonAsync("/api/v1/definitions/reason-codes/lost", new { codes = Array.Empty<object>() }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("Keep at least one reason code", await empty.Content.ReadAsStringAsync(ct));

        var lists = await api.GetJsonAsync("/api/v1/definitions/reason-codes");
        Assert.Equal(6, lists.GetProperty("lost").GetArrayLength());
        Assert.Contains(lists.GetProperty("recycled").EnumerateArray(), c => c.GetProperty("code").GetString() == "lost-deal");
    }

    [Fact]
    public async Task The_api_replaces_a_list_names_the_bad_entry_and_only_admin_keys_may_change_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var admin = await server.AdminClientAsync();
        using var reader = server.Client(await server.CreateKeyAsync(Scopes.Read, Scopes.Write));

        var wrongStage = await admin.PutAsJsonAsync("/api/v1/definitions/reason-codes/reject",
            new { codes = new object[] { new { code = "too-small", stage = "Recycled" }, new { code = "fraud", stage = "Customer" } } }, ct);
        var unknown = await admin.PutAsJsonAsync("/api/v1/definitions/reason-codes/moods", new { codes = new[] { new { code = "sad" } } }, ct);
        var forbidden = await reader.PutAsJsonAsync("/api/v1/definitions/reason-codes/lost", new { codes = new[] { new { code = "price" } } }, ct);
        var ok = await admin.PutAsJsonAsync("/api/v1/definitions/reason-codes/reject",
            new { codes = new object[] { new { code = "too-small", stage = "recycled" }, new { code = "Fraud", stage = "Disqualified" } } }, ct);
        await ok.EnsureSuccessWithBodyAsync();

        Assert.Equal(HttpStatusCode.BadRequest, wrongStage.StatusCode);
        Assert.Contains("codes[1].stage", await wrongStage.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var reject = (await admin.GetJsonAsync("/api/v1/definitions/reason-codes")).GetProperty("reject").EnumerateArray()
            .Select(c => $"{c.GetProperty("code").GetString()}>{c.GetProperty("stage").GetString()}").ToList();
        Assert.Equal(["too-small>Recycled", "fraud>Disqualified"], reject);
    }

    [Fact]
    public async Task Codes_live_in_the_database_so_a_change_survives_a_restart_and_configuration_only_seeds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var first = await TandemServer.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Tandem:Handoff:LostReasons:0"] = "price",
            ["Tandem:Handoff:LostReasons:1"] = "timing",
        });
        using (var api = await first.AdminClientAsync())
        {
            var seeded = (await api.GetJsonAsync("/api/v1/definitions/reason-codes")).GetProperty("lost").EnumerateArray().Select(c => c.GetProperty("code").GetString());
            Assert.Equal(["price", "timing"], seeded);
            (await api.PutAsJsonAsync("/api/v1/definitions/reason-codes/lost", new { codes = new[] { new { code = "budget-cut" } } }, ct)).EnsureSuccessStatusCode();
        }

        await using var second = await first.RestartAsync();
        using var again = await second.AdminClientAsync();
        var lost = (await again.GetJsonAsync("/api/v1/definitions/reason-codes")).GetProperty("lost").EnumerateArray().Select(c => c.GetProperty("code").GetString());
        Assert.Equal(["budget-cut"], lost);
    }

    [Fact]
    public async Task Sales_can_read_the_definitions_but_not_change_them()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        await WebWorld.CreateAsync(server);
        using var sam = await WebSession.SignInAsync(server, Emails.Manager);

        var page = await sam.GetPageAsync("/definitions");
        var add = await AddAsync(sam, "lost", "sneaky");

        Assert.Contains("no-budget", page);
        Assert.Contains("A lead becomes an MQL when it meets", page);
        Assert.DoesNotContain("handler=Add", page);
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        var count = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM reason_codes WHERE code = 'sneaky'"), ct);
        Assert.Equal(0, count);
    }
}

public sealed class ReasonCodeTestsOnSqlite() : ReasonCodeTests(DatabaseProvider.Sqlite);

public sealed class ReasonCodeTestsOnPostgres() : ReasonCodeTests(DatabaseProvider.Postgres);

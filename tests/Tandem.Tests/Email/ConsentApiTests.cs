using System.Net;
using System.Net.Http.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Email;

public abstract class ConsentApiTests(DatabaseProvider provider)
{
    [Fact]
    public async Task A_basis_given_elsewhere_is_recorded_with_its_proof_and_an_unsubscribe_can_only_be_undone_by_the_person()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await ConsentWorld.StartAsync(provider);
        var consent = $"/api/v1/people/{world.PersonId}/consent";
        var empty = await world.Api.GetJsonAsync(consent);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, empty.GetProperty("current").ValueKind);

        var missing = await world.Api.PutAsJsonAsync(consent, new { status = "opted_in", basis = "consent" }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.ProblemAsync()).GetProperty("errors").TryGetProperty("source", out _));

        var given = await world.Api.PutAsJsonAsync(consent,
            new { status = "opted_in", basis = "consent", source = "trade show sign-up sheet", ip = "198.51.100.4" }, ct);
        await given.EnsureSuccessWithBodyAsync();
        var document = await world.Api.GetJsonAsync(consent);
        Assert.Equal("opted_in", document.GetProperty("current").GetProperty("status").GetString());
        Assert.Equal("trade show sign-up sheet", document.GetProperty("current").GetProperty("source").GetString());
        Assert.Equal("198.51.100.4", document.GetProperty("current").GetProperty("ip").GetString());
        Assert.Equal("opted_in", document.GetProperty("log")[0].GetProperty("action").GetString());

        using var mailClient = world.Browser();
        await mailClient.PostAsync(ConsentWorld.PathOf(world.Links.UnsubscribeUrl(world.SendId)),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }), ct);

        var refused = await world.Api.PutAsJsonAsync(consent, new { status = "opted_in", basis = "consent", source = "CRM sync" }, ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("only the person can re-subscribe", (await refused.ProblemAsync()).GetProperty("detail").GetString());
        var after = await world.Api.GetJsonAsync(consent);
        Assert.Equal("opted_out", after.GetProperty("current").GetProperty("status").GetString());
        Assert.True(after.GetProperty("unsubscribed").GetBoolean());
        Assert.Equal("one-click unsubscribe", after.GetProperty("suppressions")[0].GetProperty("source").GetString());
        Assert.Equal(["opted_in", "opted_out"], after.GetProperty("log").EnumerateArray().Select(l => l.GetProperty("action").GetString()!).ToArray());
    }

    [Fact]
    public async Task Opting_out_through_the_API_suppresses_the_address_like_the_email_link()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await ConsentWorld.StartAsync(provider);

        var response = await world.Api.PutAsJsonAsync($"/api/v1/people/{world.PersonId}/consent",
            new { status = "opted_out", source = "asked on a sales call" }, ct);

        await response.EnsureSuccessWithBodyAsync();
        Assert.Equal("asked on a sales call", await world.ScalarAsync<string>(
            "SELECT source FROM email_suppressions WHERE address = 'ada@example.com' AND reason = 'unsubscribed' AND lifted_at IS NULL"));
        var person = await world.Api.GetJsonAsync($"/api/v1/people/{world.PersonId}");
        Assert.True(person.GetProperty("consent").GetProperty("unsubscribed").GetBoolean());
        var unknown = await world.Api.GetAsync("/api/v1/people/999999/consent", ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}

public sealed class ConsentApiTestsOnSqlite() : ConsentApiTests(DatabaseProvider.Sqlite);

public sealed class ConsentApiTestsOnPostgres() : ConsentApiTests(DatabaseProvider.Postgres);

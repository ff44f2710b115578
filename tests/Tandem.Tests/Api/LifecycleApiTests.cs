using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Api;

public abstract class LifecycleApiTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Stage_moves_are_recorded_with_who_and_why()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = server.Client(await server.CreateKeyAsync("write"));
        var person = await api.CaptureLeadAsync(new { email = "move@acme.io" });

        (await api.MoveStageAsync(person.Id(), "SQL", note: "Budget confirmed on call")).EnsureSuccessStatusCode();
        (await api.MoveStageAsync(person.Id(), "Recycled", "not-ready", "Revisit in Q3")).EnsureSuccessStatusCode();

        var history = await api.GetJsonAsync($"/api/v1/people/{person.Id()}/stages");
        Assert.Equal(3, history.GetArrayLength());
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("from").ValueKind);
        Assert.Equal("Lead", history[0].GetProperty("to").GetString());
        Assert.Equal("Lead", history[1].GetProperty("from").GetString());
        Assert.Equal("SQL", history[1].GetProperty("to").GetString());
        Assert.Equal("Budget confirmed on call", history[1].GetProperty("reasonText").GetString());
        Assert.Equal("ApiKey", history[1].GetProperty("by").GetProperty("type").GetString());
        Assert.StartsWith("test write", history[1].GetProperty("by").GetProperty("name").GetString());
        Assert.Equal("not-ready", history[2].GetProperty("reasonCode").GetString());
        Assert.True(history[2].TryGetProperty("scores", out _));
        var current = await api.GetJsonAsync($"/api/v1/people/{person.Id()}");
        Assert.Equal("Recycled", current.GetProperty("stage").GetString());
    }

    [Fact]
    public async Task Moving_backward_without_recycling_is_a_409_naming_both_stages()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var person = await api.CaptureLeadAsync(new { email = "back@acme.io" });
        (await api.MoveStageAsync(person.Id(), "Opportunity")).EnsureSuccessStatusCode();

        var response = await api.MoveStageAsync(person.Id(), "MQL");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal("Opportunity", problem.GetProperty("from").GetString());
        Assert.Equal("MQL", problem.GetProperty("to").GetString());
        Assert.Contains("Opportunity", problem.GetProperty("title").GetString());
        var history = await api.GetJsonAsync($"/api/v1/people/{person.Id()}/stages");
        Assert.Equal(2, history.GetArrayLength());
    }

    [Fact]
    public async Task Disqualifying_needs_a_reason_code_from_the_configured_list()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Tandem:Lifecycle:ReasonCodes:Disqualified:0"] = "gdpr-erasure",
            ["Tandem:Lifecycle:ReasonCodes:Disqualified:1"] = "competitor",
        });
        using var api = await server.AdminClientAsync();
        var person = await api.CaptureLeadAsync(new { email = "dq@acme.io" });

        var missing = await api.MoveStageAsync(person.Id(), "Disqualified");
        var unknown = await api.MoveStageAsync(person.Id(), "Disqualified", "bad-fit");
        var ok = await api.MoveStageAsync(person.Id(), "Disqualified", "competitor");

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.ProblemAsync()).GetProperty("errors").TryGetProperty("reasonCode", out _));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("gdpr-erasure", (await unknown.Content.ReadAsStringAsync(ct)));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var lifecycle = await api.GetJsonAsync("/api/v1/lifecycle");
        Assert.Equal(2, lifecycle.GetProperty("reasonCodes").GetProperty("Disqualified").GetArrayLength());
    }

    [Fact]
    public async Task Unknown_stage_is_a_problem_listing_the_stages()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var person = await api.CaptureLeadAsync(new { email = "x@acme.io" });
        var response = await api.MoveStageAsync(person.Id(), "Hot");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Opportunity", (await response.ProblemAsync()).GetProperty("errors").GetProperty("stage")[0].GetString());
    }
}

public sealed class LifecycleApiTestsOnSqlite() : LifecycleApiTests(DatabaseProvider.Sqlite);

public sealed class LifecycleApiTestsOnPostgres() : LifecycleApiTests(DatabaseProvider.Postgres);

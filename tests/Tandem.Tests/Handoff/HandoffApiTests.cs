using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;
using Tandem.Tests.Routing;

namespace Tandem.Tests.Handoff;

public abstract class HandoffApiTests(DatabaseProvider provider)
{
    private static async Task<long> MqlAsync(HttpClient api, string email, string? utmSource = null, string? campaign = null)
    {
        var id = (await api.CaptureLeadAsync(new { email, attribution = new { utmSource, utmMedium = utmSource switch { null => null, "facebook" => "paid-social", _ => "cpc" }, utmCampaign = campaign } })).Id();
        return await api.QualifyAsync(id);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient api, long id, string action, object body) =>
        api.PostAsJsonAsync($"/api/v1/people/{id}/{action}", body);

    private static async Task<string> StageOfAsync(HttpClient api, long id) => (await api.GetJsonAsync($"/api/v1/people/{id}")).GetProperty("stage").GetString()!;

    [Fact]
    public async Task Accepting_moves_an_MQL_to_SAL_and_only_an_MQL_can_be_accepted()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var mql = await MqlAsync(api, "mql@acme.io");
        var lead = (await api.CaptureLeadAsync(new { email = "lead@acme.io" })).Id();

        var accepted = await PostAsync(api, mql, "accept", new { note = "Called, real project" });
        var refused = await PostAsync(api, lead, "accept", new { });

        await accepted.EnsureSuccessWithBodyAsync();
        Assert.Equal("SAL", await StageOfAsync(api, mql));
        var history = await api.GetJsonAsync($"/api/v1/people/{mql}/stages");
        Assert.Equal("Called, real project", history.EnumerateArray().Last().GetProperty("reasonText").GetString());
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Lead", (await refused.ProblemAsync()).GetProperty("detail").GetString());
        Assert.Equal("Lead", await StageOfAsync(api, lead));
    }

    [Fact]
    public async Task Rejecting_needs_a_reason_code_which_decides_recycled_or_disqualified()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var (a, b, c) = (await MqlAsync(api, "a@acme.io"), await MqlAsync(api, "b@acme.io"), await MqlAsync(api, "c@acme.io"));

        var missing = await PostAsync(api, a, "reject", new { note = "meh" });
        var unknown = await PostAsync(api, a, "reject", new { reasonCode = "vibes" });
        await (await PostAsync(api, b, "reject", new { reasonCode = "student", note = "Writing a thesis" })).EnsureSuccessWithBodyAsync();
        await (await PostAsync(api, c, "reject", new { reasonCode = "No-Budget", note = "Next fiscal year" })).EnsureSuccessWithBodyAsync();

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("no-response", (await missing.ProblemAsync()).GetProperty("errors").GetProperty("reasonCode")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("MQL", await StageOfAsync(api, a));
        Assert.Equal("Disqualified", await StageOfAsync(api, b));
        Assert.Equal("Recycled", await StageOfAsync(api, c));
        var seenByMarketing = (await api.GetJsonAsync($"/api/v1/people/{b}/stages")).EnumerateArray().Last();
        Assert.Equal("student", seenByMarketing.GetProperty("reasonCode").GetString());
        Assert.Equal("Writing a thesis", seenByMarketing.GetProperty("reasonText").GetString());
        var disposition = (await api.GetJsonAsync($"/api/v1/people/{c}/dispositions"))[0];
        Assert.Equal("rejected", disposition.GetProperty("kind").GetString());
        Assert.Equal("no-budget", disposition.GetProperty("reasonCode").GetString());
    }

    [Fact]
    public async Task The_rejection_reasons_are_configurable()
    {
        await using var server = await TandemServer.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Tandem:Handoff:RejectReasons:too-small"] = "Recycled",
            ["Tandem:Handoff:RejectReasons:fraud"] = "Disqualified",
        });
        using var api = await server.AdminClientAsync();
        var lead = await MqlAsync(api, "small@acme.io");

        var old = await PostAsync(api, lead, "reject", new { reasonCode = "student" });
        await (await PostAsync(api, lead, "reject", new { reasonCode = "fraud" })).EnsureSuccessWithBodyAsync();

        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        Assert.Equal("Disqualified", await StageOfAsync(api, lead));
        var reasons = await api.GetJsonAsync("/api/v1/handoff/reasons");
        Assert.Equal(["fraud", "too-small"], reasons.GetProperty("reject").EnumerateArray().Select(r => r.GetProperty("code").GetString()).Order());
    }

    [Fact]
    public async Task Sales_records_SQL_opportunity_won_and_lost_with_amounts_and_reasons()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var (win, lose) = (await MqlAsync(api, "win@acme.io"), await MqlAsync(api, "lose@acme.io"));
        foreach (var id in new[] { win, lose })
        {
            await (await PostAsync(api, id, "accept", new { })).EnsureSuccessWithBodyAsync();
            await (await PostAsync(api, id, "qualify", new { note = "BANT confirmed" })).EnsureSuccessWithBodyAsync();
        }

        var noAmount = await PostAsync(api, win, "opportunity", new { note = "forgot" });
        await (await PostAsync(api, win, "opportunity", new { amount = 12500.50m })).EnsureSuccessWithBodyAsync();
        await (await PostAsync(api, win, "won", new { amount = 11000m })).EnsureSuccessWithBodyAsync();
        var noReason = await PostAsync(api, lose, "lost", new { });
        await (await PostAsync(api, lose, "lost", new { reasonCode = "price", note = "Went with a cheaper tool" })).EnsureSuccessWithBodyAsync();
        var wonAgain = await PostAsync(api, win, "won", new { amount = 1m });

        Assert.Equal(HttpStatusCode.BadRequest, noAmount.StatusCode);
        Assert.True((await noAmount.ProblemAsync()).GetProperty("errors").TryGetProperty("amount", out _));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, wonAgain.StatusCode);
        Assert.Equal("Customer", await StageOfAsync(api, win));
        Assert.Equal("Recycled", await StageOfAsync(api, lose));
        var dispositions = await api.GetJsonAsync($"/api/v1/people/{win}/dispositions");
        Assert.Equal(["accepted", "sql", "opportunity", "won"], dispositions.EnumerateArray().Select(d => d.GetProperty("kind").GetString()));
        Assert.Equal(12500.50m, dispositions[2].GetProperty("amount").GetDecimal());
        var lostStage = (await api.GetJsonAsync($"/api/v1/people/{lose}/stages")).EnumerateArray().Last();
        Assert.Equal("lost-deal", lostStage.GetProperty("reasonCode").GetString());
        Assert.Equal("price", (await api.GetJsonAsync($"/api/v1/people/{lose}/dispositions")).EnumerateArray().Last().GetProperty("reasonCode").GetString());
    }

    [Fact]
    public async Task Closed_loop_report_counts_dispositions_and_reasons_by_source_campaign_and_persona()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var g1 = await MqlAsync(api, "g1@acme.io", "google", "spring-launch");
        var g2 = await MqlAsync(api, "g2@acme.io", "google", "spring-launch");
        var f1 = await MqlAsync(api, "f1@acme.io", "facebook", "retarget");
        await server.SetScoresAsync(g1, "A", "CTO", "Champion");
        await server.SetScoresAsync(f1, "C", "Champion");
        await (await PostAsync(api, g1, "accept", new { })).EnsureSuccessWithBodyAsync();
        await (await PostAsync(api, g1, "opportunity", new { amount = 5000m })).EnsureSuccessWithBodyAsync();
        await (await PostAsync(api, g2, "reject", new { reasonCode = "bad-fit" })).EnsureSuccessWithBodyAsync();
        await (await PostAsync(api, f1, "reject", new { reasonCode = "student" })).EnsureSuccessWithBodyAsync();

        var bySource = await api.GetJsonAsync("/api/v1/reports/closed-loop?by=source");
        var byCampaign = await api.GetJsonAsync("/api/v1/reports/closed-loop?by=campaign");
        var byPersona = await api.GetJsonAsync("/api/v1/reports/closed-loop?by=persona");
        var bad = await api.GetAsync("/api/v1/reports/closed-loop?by=weather", ct);

        JsonElement Group(JsonElement report, string key) => report.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == key);
        var paid = Group(bySource, "Paid Search");
        Assert.Equal(1, Group(bySource, "Paid Social").GetProperty("rejected").GetInt32());
        Assert.Equal(2, paid.GetProperty("leads").GetInt32());
        Assert.Equal(1, paid.GetProperty("accepted").GetInt32());
        Assert.Equal(1, paid.GetProperty("rejected").GetInt32());
        Assert.Equal(0.5, paid.GetProperty("acceptanceRate").GetDouble());
        Assert.Equal(5000m, paid.GetProperty("pipelineAmount").GetDecimal());
        Assert.Equal(1, paid.GetProperty("rejectReasons").GetProperty("bad-fit").GetInt32());
        Assert.Equal(1, Group(byCampaign, "retarget").GetProperty("rejectReasons").GetProperty("student").GetInt32());
        var champion = Group(byPersona, "Champion");
        Assert.Equal(2, champion.GetProperty("leads").GetInt32());
        Assert.Equal(1, Group(byPersona, "(no persona)").GetProperty("rejected").GetInt32());
        Assert.Equal(3, bySource.GetProperty("total").GetProperty("leads").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}

public sealed class HandoffApiTestsOnSqlite() : HandoffApiTests(DatabaseProvider.Sqlite);

public sealed class HandoffApiTestsOnPostgres() : HandoffApiTests(DatabaseProvider.Postgres);

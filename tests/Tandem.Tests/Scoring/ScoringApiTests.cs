using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Scoring;

/// <summary>Live scoring, explanations, decay, the MQL move and publishing models, through the real server on each database.</summary>
public abstract class ScoringApiTests(DatabaseProvider provider)
{
    private static readonly object DataLeader = new
    {
        email = "ana@northwind.com", firstName = "Ana", title = "Head of Data", company = "Northwind", companySize = "201-1000",
        industry = "Software", phone = "+1 555 0100",
    };

    private static HttpClient Tracker(TandemServer server, string key)
    {
        var client = server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));
        return client;
    }

    [Fact]
    public async Task A_tracked_visitor_crosses_the_MQL_line_live_and_the_history_names_the_rule_and_model_version()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        using var tracker = Tracker(server, await server.CreateKeyAsync("ingest"));
        var person = await api.CaptureLeadAsync(DataLeader);
        Assert.Equal("A", person.GetProperty("score").GetProperty("grade").GetString());
        Assert.Equal("Lead", person.GetProperty("stage").GetString());
        (await tracker.PostAsJsonAsync("/v1/identify", new { userId = "u-ana", traits = new { email = "ana@northwind.com" } }, ct)).EnsureSuccessStatusCode();

        (await tracker.PostAsJsonAsync("/v1/page", new { userId = "u-ana", name = "Pricing", context = new { page = new { url = "https://lumen.example/pricing" } } }, ct))
            .EnsureSuccessStatusCode();
        var afterPricing = await api.GetJsonAsync($"/api/v1/people/{person.Id()}");
        Assert.Equal("Lead", afterPricing.GetProperty("stage").GetString());
        Assert.Equal(22, afterPricing.GetProperty("score").GetProperty("engagement").GetInt32());

        (await tracker.PostAsJsonAsync("/v1/track", new { userId = "u-ana", @event = "form_submitted", properties = new { form = "demo-request" } }, ct))
            .EnsureSuccessStatusCode();

        var now = await api.GetJsonAsync($"/api/v1/people/{person.Id()}");
        Assert.Equal("MQL", now.GetProperty("stage").GetString());
        Assert.Equal("A2", now.GetProperty("score").GetProperty("cell").GetString());
        var history = await api.GetJsonAsync($"/api/v1/people/{person.Id()}/stages");
        var move = history.EnumerateArray().Last();
        Assert.Equal("MQL", move.GetProperty("to").GetString());
        Assert.Equal("Rule", move.GetProperty("by").GetProperty("type").GetString());
        Assert.Contains("v1", move.GetProperty("by").GetProperty("name").GetString());
        Assert.Contains("grade B or better and engagement 40 or more", move.GetProperty("reasonText").GetString());
        Assert.Equal("A2", move.GetProperty("scores").GetProperty("cell").GetString());
        Assert.Equal(1, move.GetProperty("scores").GetProperty("modelVersion").GetInt32());
    }

    [Fact]
    public async Task The_explanation_shows_each_point_its_activity_its_value_after_decay_and_the_caps()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock();
        await using var server = await TandemServer.StartAsync(provider, clock);
        using var api = await server.AdminClientAsync();
        var person = await api.CaptureLeadAsync(DataLeader);
        for (var i = 0; i < 2; i++)
            (await api.PostAsJsonAsync($"/api/v1/people/{person.Id()}/activities", new { type = "page_view", properties = new { url = "https://lumen.example/pricing" } }, ct))
                .EnsureSuccessStatusCode();

        clock.Advance(TimeSpan.FromDays(14));
        var score = await api.GetJsonAsync($"/api/v1/people/{person.Id()}/score");

        Assert.Equal("A", score.GetProperty("fit").GetProperty("grade").GetString());
        Assert.Contains(score.GetProperty("fit").GetProperty("points").EnumerateArray(), p => p.GetProperty("ruleId").GetString() == "persona-data-leader");
        Assert.Equal(["Data leader"], score.GetProperty("fit").GetProperty("personas").EnumerateArray().Select(p => p.GetString()));
        var awards = score.GetProperty("engagement").GetProperty("awards").EnumerateArray().Where(a => a.GetProperty("ruleId").GetString() == "pricing-visit").ToList();
        Assert.Equal(2, awards.Count);
        var counted = Assert.Single(awards, a => a.GetProperty("cappedBy").ValueKind == JsonValueKind.Null);
        Assert.Equal(20, counted.GetProperty("points").GetInt32());
        Assert.Equal(10, counted.GetProperty("valueNow").GetDouble(), 2); // one half-life later
        Assert.True(counted.GetProperty("activityId").GetInt64() > 0);
        Assert.Contains(awards, a => a.GetProperty("cappedBy").GetString() == "daily cap of 1");
        Assert.Equal("grade B or better and engagement 40 or more or cell A1/A2", score.GetProperty("mqlDefinition").GetString());
    }

    [Fact]
    public async Task Engagement_decays_with_time_and_falling_below_the_line_shows_but_does_not_demote()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock();
        await using var server = await TandemServer.StartAsync(provider, clock);
        using var api = await server.AdminClientAsync();
        var person = await api.CaptureLeadAsync(DataLeader);
        await api.PostAsJsonAsync($"/api/v1/people/{person.Id()}/activities", new { type = "form_submitted", properties = new { form = "demo-request" } }, ct);
        await api.PostAsJsonAsync($"/api/v1/people/{person.Id()}/activities", new { type = "page_view", properties = new { url = "https://lumen.example/pricing" } }, ct);
        var qualified = await api.GetJsonAsync($"/api/v1/people/{person.Id()}");
        Assert.Equal("MQL", qualified.GetProperty("stage").GetString());
        Assert.Equal(67, qualified.GetProperty("score").GetProperty("engagement").GetInt32());

        clock.Advance(TimeSpan.FromDays(60));
        var changed = await server.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<DecayRefresher>().Single().RefreshAsync(ct);

        Assert.Equal(1, changed);
        var later = await api.GetJsonAsync($"/api/v1/people/{person.Id()}");
        Assert.Equal("MQL", later.GetProperty("stage").GetString());
        Assert.False(later.GetProperty("score").GetProperty("meetsMql").GetBoolean());
        // 45 × 0.5^(60/30) + 22 × 0.5^(60/14) ≈ 11.25 + 1.1 (the page view's 2 points decay weekly)
        Assert.Equal(12, later.GetProperty("score").GetProperty("engagement").GetInt32());
        Assert.Equal(12, (await api.GetJsonAsync($"/api/v1/people/{person.Id()}/score")).GetProperty("engagement").GetProperty("score").GetInt32());
        var history = await api.GetJsonAsync($"/api/v1/people/{person.Id()}/score/history");
        Assert.Equal("decay", history.EnumerateArray().Last().GetProperty("cause").GetString());
    }

    [Fact]
    public async Task Personas_are_stored_and_people_can_be_filtered_by_persona_grade_and_MQL_status()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        await api.CaptureLeadAsync(DataLeader);
        await api.CaptureLeadAsync(new { email = "dev@northwind.com", title = "Data Engineer", companySize = "201-1000" });
        await api.CaptureLeadAsync(new { email = "kim@gmail.com", title = "Student" });

        Assert.Equal(["ana@northwind.com"], Emails(await api.GetJsonAsync("/api/v1/people?persona=Data%20leader")));
        Assert.Equal(["dev@northwind.com"], Emails(await api.GetJsonAsync("/api/v1/people?persona=Practitioner")));
        Assert.Equal(["kim@gmail.com"], Emails(await api.GetJsonAsync("/api/v1/people?grade=D")));
        Assert.Empty(Emails(await api.GetJsonAsync("/api/v1/people?meetsMql=true")));
        var bad = await api.GetAsync("/api/v1/people?grade=Z&cell=Q7", ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ProblemAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("grade", out _) && errors.TryGetProperty("cell", out _));
    }

    [Fact]
    public async Task Publishing_a_new_version_re_scores_everyone_and_the_preview_tells_who_would_move_first()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        for (var i = 0; i < 30; i++)
            await api.CaptureLeadAsync(new { email = $"eng{i}@northwind.com", title = "Data Engineer", companySize = "201-1000", industry = "Software" });
        var model = await api.GetJsonAsync("/api/v1/scoring/model");
        Assert.Equal(1, model.GetProperty("version").GetInt32());
        var edited = JsonNode.Parse(model.GetProperty("model").GetRawText())!.AsObject();
        // Marketing and sales agree that practitioners at fitting companies qualify on fit alone.
        edited["mql"] = JsonNode.Parse("""{"any":[{"minGrade":"B"}]}""");

        var preview = await (await api.PostAsJsonAsync("/api/v1/scoring/models/preview", edited, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(30, preview.GetProperty("moveIntoMql").GetInt32());
        Assert.Equal(0, (await api.GetJsonAsync("/api/v1/people?stage=MQL")).GetProperty("items").GetArrayLength());

        var published = await api.PostAsJsonAsync("/api/v1/scoring/models", edited, ct);
        Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        var body = await published.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(2, body.GetProperty("version").GetInt32());
        await server.Services.GetRequiredService<RescoreJobs>().WaitAsync(body.GetProperty("rescoreJobId").GetInt64());

        var job = await api.GetJsonAsync(body.GetProperty("rescoreUrl").GetString()!);
        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal(30, job.GetProperty("movedToMql").GetInt32());
        var mqls = await api.GetJsonAsync("/api/v1/people?stage=MQL&limit=100");
        Assert.Equal(30, mqls.GetProperty("items").GetArrayLength());
        Assert.All(mqls.GetProperty("items").EnumerateArray(), p => Assert.Equal(2, p.GetProperty("score").GetProperty("modelVersion").GetInt32()));
        var versions = await api.GetJsonAsync("/api/v1/scoring/models");
        Assert.Equal([2, 1], versions.EnumerateArray().Select(v => v.GetProperty("number").GetInt32()));
        Assert.True(versions[0].GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task An_invalid_model_is_refused_with_the_place_of_each_problem_and_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var bad = new { name = "broken", engagement = new[] { new { id = "x", name = "X", type = "page_view", points = 5, halfLifeDays = -1 } }, mql = new { any = new[] { new { cells = new[] { "Z1" } } } } };

        var response = await api.PostAsJsonAsync("/api/v1/scoring/models", bad, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ProblemAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("engagement[0].halfLifeDays", out _));
        Assert.True(errors.TryGetProperty("mql.any[0].cells", out _));
        Assert.Equal(1, (await api.GetJsonAsync("/api/v1/scoring/model")).GetProperty("version").GetInt32());
        using var reader = server.Client(await server.CreateKeyAsync("write"));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/scoring/models", bad, ct)).StatusCode);
    }

    [Fact]
    public async Task Re_scoring_while_events_keep_arriving_leaves_everyone_wholly_scored_by_the_new_version()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        using var tracker = Tracker(server, await server.CreateKeyAsync("ingest"));
        var batch = Enumerable.Range(0, 200).Select(i => new { type = "identify", userId = $"u{i}", traits = new { email = $"p{i}@northwind.com", title = "Data Engineer" } });
        (await tracker.PostAsJsonAsync("/v1/batch", new { batch }, ct)).EnsureSuccessStatusCode();
        var model = JsonNode.Parse((await api.GetJsonAsync("/api/v1/scoring/model")).GetProperty("model").GetRawText())!.AsObject();
        model["engagement"]!.AsArray().Add(JsonNode.Parse("""{"id":"docs","name":"Read the docs","type":"page_view","when":[{"field":"url","op":"contains","value":"/docs"}],"points":7}"""));

        var ingesting = Task.Run(async () =>
        {
            for (var round = 0; round < 10; round++)
            {
                var pages = Enumerable.Range(0, 50).Select(i => new { type = "page", userId = $"u{(round * 50 + i) % 200}", context = new { page = new { url = "https://lumen.example/docs/start" } } });
                (await tracker.PostAsJsonAsync("/v1/batch", new { batch = pages })).EnsureSuccessStatusCode();
            }
        }, ct);
        var published = await (await api.PostAsJsonAsync("/api/v1/scoring/models", model, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        await ingesting;
        await server.Services.GetRequiredService<RescoreJobs>().WaitAsync(published.GetProperty("rescoreJobId").GetInt64());

        var stale = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM people WHERE score_model_version IS NULL OR score_model_version <> 2"), ct);
        Assert.Equal(0, stale);
        // Each stored score equals a fresh computation under version 2: nobody keeps a mix of two versions.
        var ids = await server.Database.ReadAsync(async c => (await c.QueryAsync<long>("SELECT id FROM people")).ToList(), ct);
        foreach (var id in ids.Take(40))
        {
            var person = await api.GetJsonAsync($"/api/v1/people/{id}");
            var fresh = await api.GetJsonAsync($"/api/v1/people/{id}/score");
            Assert.Equal(fresh.GetProperty("engagement").GetProperty("score").GetInt32(), person.GetProperty("score").GetProperty("engagement").GetInt32());
            Assert.Equal(fresh.GetProperty("fit").GetProperty("score").GetInt32(), person.GetProperty("score").GetProperty("fit").GetInt32());
        }
    }

    private static List<string?> Emails(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("email").GetString()).Order().ToList();
}

public sealed class ScoringApiTestsOnSqlite() : ScoringApiTests(DatabaseProvider.Sqlite);

public sealed class ScoringApiTestsOnPostgres() : ScoringApiTests(DatabaseProvider.Postgres);

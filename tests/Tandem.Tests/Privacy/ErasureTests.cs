using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Tests.Import;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Privacy;

/// <summary>Erasing a person removes everything that names them, leaves a tombstone the reports still count, and a later capture of their email is refused unless asked for.</summary>
public abstract class ErasureTests(DatabaseProvider provider)
{
    private static async Task<Dictionary<string, long>> FunnelAsync(HttpClient api) =>
        (await api.GetJsonAsync("/api/v1/reports/funnel")).GetProperty("steps").EnumerateArray()
            .ToDictionary(s => s.GetProperty("stage").GetString()!, s => s.GetProperty("count").GetInt64());

    private static async Task<List<JsonElement>> AuditAsync(HttpClient api, string action) =>
        (await api.GetJsonAsync($"/api/v1/audit?action={action}")).GetProperty("items").EnumerateArray().ToList();

    [Fact]
    public async Task Erasing_removes_everything_naming_the_person_and_the_funnel_still_counts_them()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        using var writer = server.Client(await server.CreateKeyAsync(Scopes.Write));
        var world = await PersonalDataWorld.CreateAsync(server, api);
        Assert.NotEmpty(await PersonalDataWorld.TracesLeftAsync(server.Database)); // the scan finds her before
        var funnelBefore = await FunnelAsync(api);

        var refused = await writer.PostAsync($"/api/v1/people/{world.Zelda}/erase", null, ct);
        var erased = await api.PostAsync($"/api/v1/people/{world.Zelda}/erase", null, ct);
        await erased.EnsureSuccessWithBodyAsync();
        var body = await erased.Content.ReadFromJsonAsync<JsonElement>(ct);
        var again = await api.PostAsync($"/api/v1/people/{world.Zelda}/erase", null, ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.True(body.GetProperty("removed").GetProperty("activities").GetInt64() >= 4);
        Assert.Empty(await PersonalDataWorld.TracesLeftAsync(server.Database));
        Assert.Equal(funnelBefore, await FunnelAsync(api));
        Assert.True(funnelBefore["MQL"] >= 1);
        Assert.Equal(HttpStatusCode.Gone, (await api.GetAsync($"/api/v1/people/{world.Zelda}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await api.GetAsync($"/api/v1/people/{world.Duplicate}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/people/{world.Zelda}/timeline", ct)).StatusCode);
        var listed = (await api.GetJsonAsync("/api/v1/people")).GetProperty("items").EnumerateArray().Select(p => p.Id()).ToList();
        Assert.Equal([world.Other], listed);
        // The tombstone keeps what the reports count, and nothing else.
        var tombstone = await server.Database.ReadAsync(c => c.QuerySingleAsync<(string Stage, string? Email, string? Channel, long Stages)>(
            "SELECT stage, email, first_touch_channel AS Channel, (SELECT COUNT(*) FROM stage_changes s WHERE s.person_id = p.id) AS Stages FROM people p WHERE id = @Zelda",
            new { world.Zelda }), ct);
        Assert.Equal(("MQL", null, "Paid Search"), (tombstone.Stage, tombstone.Email, tombstone.Channel));
        Assert.True(tombstone.Stages >= 2);
        Assert.Equal(1, await server.Database.ScalarAsync("SELECT COUNT(*) FROM import_jobs WHERE id = @ImportJob", new { world.ImportJob }));
        var entry = Assert.Single(await AuditAsync(api, "person.erased"));
        Assert.Equal($"person {world.Zelda}", entry.GetProperty("target").GetString());
        Assert.Equal(1, entry.GetProperty("detail").GetProperty("mergedRecords").GetInt32());
        // The other lead is untouched.
        Assert.Equal("Otto", (await api.GetJsonAsync($"/api/v1/people/{world.Other}")).GetProperty("firstName").GetString());
    }

    [Fact]
    public async Task An_erased_email_is_refused_by_the_api_import_tracking_and_forms_and_added_again_only_when_asked()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        using var tracker = server.Client(await server.CreateKeyAsync(Scopes.Ingest));
        var id = (await api.CaptureLeadAsync(new { email = PersonalDataWorld.Email, firstName = "Zelda", externalIds = new[] { new { source = "crm", id = "ZQ-1" } } })).Id();
        (await api.PostAsync($"/api/v1/people/{id}/erase", null, ct)).EnsureSuccessStatusCode();
        var form = await (await api.PostAsJsonAsync("/api/v1/forms", new { name = "Demo request", honeypotField = "website_url" }, ct))
            .Content.ReadFromJsonAsync<JsonElement>(ct);
        using var browser = server.Client(followRedirects: false);

        var byApi = await api.PostAsJsonAsync("/api/v1/people", new { email = "Zelda.Quist@ACME.example", firstName = "Zelda" }, ct);
        var byExternalId = await api.PostAsJsonAsync("/api/v1/people", new { externalIds = new[] { new { source = "crm", id = "ZQ-1" } } }, ct);
        var job = await api.ImportBytesAsync(Encoding.UTF8.GetBytes($"email,first name\n{PersonalDataWorld.Email},Zelda\nnew@acme.example,Nia\n"));
        var tracked = await tracker.PostAsJsonAsync("/v1/identify", new { userId = "u-77", messageId = "zq-again", traits = new { email = PersonalDataWorld.Email } }, ct);
        var submitted = await browser.PostAsync(form.GetProperty("action").GetString(),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = PersonalDataWorld.Email, ["firstName"] = "Zelda", ["website_url"] = "" }), ct);

        Assert.Equal(HttpStatusCode.Conflict, byApi.StatusCode);
        Assert.True((await byApi.ProblemAsync()).GetProperty("errors").TryGetProperty("email", out _));
        Assert.Equal(HttpStatusCode.Conflict, byExternalId.StatusCode);
        Assert.True((await byExternalId.ProblemAsync()).GetProperty("errors").TryGetProperty("externalIds", out _));
        Assert.Equal((1, 1), (job.Count("created"), job.Count("errors")));
        var error = Assert.Single(ImportApi.ParseCsv(await api.GetStringAsync($"/api/v1/imports/{job.Id()}/errors", ct)));
        Assert.Equal(("2", "email", ""), (error["row"], error["column"], error["value"]));
        Assert.Contains("erased", error["reason"]);
        Assert.Equal(HttpStatusCode.OK, tracked.StatusCode);
        Assert.True(submitted.IsSuccessStatusCode, $"{submitted.StatusCode}");
        Assert.Equal(0, await server.Database.ScalarAsync("SELECT COUNT(*) FROM people WHERE email = @Email OR first_name = 'Zelda'", new { PersonalDataWorld.Email }));
        Assert.Equal(0, await server.Database.ScalarAsync("SELECT COUNT(*) FROM person_external_ids WHERE external_id = 'u-77'"));
        var refusals = await AuditAsync(api, "person.capture_refused");
        Assert.Equal(["form", "tracking"], refusals.Select(r => r.GetProperty("detail").GetProperty("source").GetString()).Order());
        Assert.All(refusals, r => Assert.DoesNotContain("zelda", r.GetRawText(), StringComparison.OrdinalIgnoreCase));

        var readded = await api.PostAsJsonAsync("/api/v1/people", new { email = PersonalDataWorld.Email, firstName = "Zelda", allowErased = true }, ct);
        Assert.Equal(HttpStatusCode.Created, readded.StatusCode);
        var person = await readded.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.NotEqual(id, person.Id());
        Assert.Equal("Lead", person.GetProperty("stage").GetString());
        Assert.Single(await AuditAsync(api, "person.readded_after_erasure"));
        // Someone live again is captured as usual from then on.
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync("/api/v1/people", new { email = PersonalDataWorld.Email, lastName = "Quist" }, ct)).StatusCode);
    }

    [Fact]
    public async Task Erasing_a_merged_away_record_points_to_the_survivor_and_an_unknown_id_is_not_found()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var survivor = (await api.CaptureLeadAsync(new { email = "a@acme.example" })).Id();
        var merged = (await api.CaptureLeadAsync(new { email = "b@acme.example" })).Id();
        (await api.PostAsJsonAsync("/api/v1/people/merge", new { survivorId = survivor, mergedId = merged }, ct)).EnsureSuccessStatusCode();

        var viaMerged = await api.PostAsync($"/api/v1/people/{merged}/erase", null, ct);
        var unknown = await api.PostAsync("/api/v1/people/99999/erase", null, ct);

        Assert.Equal(HttpStatusCode.Conflict, viaMerged.StatusCode);
        Assert.Equal(survivor, (await viaMerged.ProblemAsync()).GetProperty("survivorId").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(2, await server.Database.ScalarAsync("SELECT COUNT(*) FROM people WHERE erased_at IS NULL"));
    }
}

public sealed class ErasureTestsOnSqlite() : ErasureTests(DatabaseProvider.Sqlite);

public sealed class ErasureTestsOnPostgres() : ErasureTests(DatabaseProvider.Postgres);

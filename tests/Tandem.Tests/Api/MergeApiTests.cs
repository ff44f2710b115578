using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Api;

public abstract class MergeApiTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Merging_applies_survivorship_moves_activity_audits_and_redirects_the_old_id()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var survivor = await api.CaptureLeadAsync(new
        {
            email = "ana@acme.io", title = "Engineer", phone = "111", lockFields = new[] { "phone" },
            observedAt = DateTimeOffset.UtcNow.AddDays(-10),
        });
        var duplicate = await api.CaptureLeadAsync(new
        {
            email = "ana.silva@gmail.com", title = "Head of Data", phone = "222", city = "Lisbon",
            consent = new { unsubscribed = true },
            externalIds = new[] { new { source = "hubspot", id = "501" } },
        });
        (await api.PostAsJsonAsync($"/api/v1/people/{duplicate.Id()}/activities", new { type = "webinar_attended" }, ct)).EnsureSuccessStatusCode();
        (await api.MoveStageAsync(duplicate.Id(), "SQL")).EnsureSuccessStatusCode();

        var response = await api.PostAsJsonAsync("/api/v1/people/merge", new { survivorId = survivor.Id(), mergedId = duplicate.Id() }, ct);
        await response.EnsureSuccessWithBodyAsync();
        var merged = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("survivor");

        Assert.Equal("Head of Data", merged.GetProperty("title").GetString()); // newer value wins
        Assert.Equal("111", merged.GetProperty("phone").GetString());         // locked on the survivor
        Assert.Equal("Lisbon", merged.GetProperty("city").GetString());       // filled from the duplicate
        Assert.True(merged.GetProperty("consent").GetProperty("unsubscribed").GetBoolean());
        Assert.Equal("SQL", merged.GetProperty("stage").GetString());          // progress is not undone
        Assert.Equal("hubspot", merged.GetProperty("externalIds")[0].GetProperty("source").GetString());

        var timeline = await api.GetJsonAsync($"/api/v1/people/{survivor.Id()}/timeline");
        var types = timeline.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("type").GetString()).ToList();
        Assert.Contains("webinar_attended", types);
        Assert.Contains("merged", types);

        using var noRedirect = server.Client(await server.CreateKeyAsync("read"), followRedirects: false);
        var old = await noRedirect.GetAsync($"/api/v1/people/{duplicate.Id()}", ct);
        Assert.Equal(HttpStatusCode.PermanentRedirect, old.StatusCode);
        Assert.Equal($"/api/v1/people/{survivor.Id()}", old.Headers.Location!.OriginalString);
        // .NET's HttpClient drops the Authorization header on redirects, so follow by hand as such clients must.
        var followed = await api.GetJsonAsync(old.Headers.Location!.OriginalString);
        Assert.Equal(survivor.Id(), followed.Id());

        var audit = await server.Database.ReadAsync(c => c.QuerySingleAsync<(long SurvivorId, long MergedId, string MergedBefore)>(
            "SELECT survivor_id, merged_id, merged_before FROM merges"), ct);
        Assert.Equal((survivor.Id(), duplicate.Id()), (audit.SurvivorId, audit.MergedId));
        Assert.Contains("ana.silva@gmail.com", audit.MergedBefore);

        // The duplicate's email and external id now find the survivor.
        var again = await api.CaptureLeadAsync(new { externalIds = new[] { new { source = "hubspot", id = "501" } } });
        Assert.Equal(survivor.Id(), again.Id());
    }

    [Fact]
    public async Task Merging_someone_already_merged_is_a_conflict()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var a = await api.CaptureLeadAsync(new { email = "a@acme.io" });
        var b = await api.CaptureLeadAsync(new { email = "b@acme.io" });
        (await api.PostAsJsonAsync("/api/v1/people/merge", new { survivorId = a.Id(), mergedId = b.Id() }, ct)).EnsureSuccessStatusCode();

        var again = await api.PostAsJsonAsync("/api/v1/people/merge", new { survivorId = a.Id(), mergedId = b.Id() }, ct);
        var self = await api.PostAsJsonAsync("/api/v1/people/merge", new { survivorId = a.Id(), mergedId = a.Id() }, ct);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.True((await self.ProblemAsync()).GetProperty("errors").TryGetProperty("mergedId", out _));
    }
}

public sealed class MergeApiTestsOnSqlite() : MergeApiTests(DatabaseProvider.Sqlite);

public sealed class MergeApiTestsOnPostgres() : MergeApiTests(DatabaseProvider.Postgres);

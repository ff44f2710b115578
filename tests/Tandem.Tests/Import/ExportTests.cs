using System.Net;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Import;

public abstract class ExportTests(DatabaseProvider provider)
{
    // Assigned by each database, not carried by the data.
    private static readonly string[] PerDatabase = ["id", "created_at", "updated_at", "stage_changed_at", "account", "account_domain"];

    private static List<Dictionary<string, string>> Comparable(List<Dictionary<string, string>> rows) =>
        rows.Select(r => r.Where(kv => !PerDatabase.Contains(kv.Key)).ToDictionary()).OrderBy(r => r["external_ids"]).ToList();

    [Fact]
    public async Task An_export_imports_back_unchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var source = await TandemServer.StartAsync(provider);
        using var sourceApi = await source.AdminClientAsync();
        await sourceApi.ImportAsync(ImportApi.Sample("hubspot-contacts.csv"));
        await sourceApi.ImportAsync(ImportApi.Sample("mautic-contacts.csv"));
        var exportResponse = await sourceApi.GetAsync("/api/v1/people/export", ct);
        var exported = await exportResponse.Content.ReadAsByteArrayAsync(ct);
        Assert.Equal("text/csv", exportResponse.Content.Headers.ContentType?.MediaType);

        await using var target = await TandemServer.StartAsync(provider);
        using var targetApi = await target.AdminClientAsync();
        var job = await targetApi.ImportBytesAsync(exported, "people.csv");
        var reimported = await targetApi.ExportAsync();

        Assert.Equal("tandem", job.GetProperty("detectedPreset").GetString());
        Assert.Equal((12, 0), (job.Count("created"), job.Count("errors")));
        var before = Comparable(ImportApi.ParseCsv(System.Text.Encoding.UTF8.GetString(exported)));
        var after = Comparable(reimported);
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++) Assert.Equal(before[i], after[i]);

        // And into the database it came from, it is a no-op.
        var again = await sourceApi.ImportBytesAsync(exported, "people.csv");
        Assert.Equal((0, 0, 12), (again.Count("created"), again.Count("updated"), again.Count("unchanged")));
    }

    [Fact]
    public async Task Export_streams_any_filtered_list_with_stage_scores_owner_and_source()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        await api.ImportAsync(ImportApi.Sample("hubspot-contacts.csv"));

        var customers = await api.ExportAsync("?stage=Customer");
        var swedes = await api.ExportAsync("?country=sweden&channel=Organic%20Search");

        Assert.Equal(["Lucas", "Sofia"], customers.Select(p => p["first_name"]).Order());
        Assert.Equal("maya.lindqvist@brightpath.example", Assert.Single(swedes)["email"]);
        foreach (var column in new[] { "stage", "fit_grade", "engagement_score", "score_cell", "owner_id", "owner_email", "channel", "external_ids" })
            Assert.True(customers[0].ContainsKey(column), column);
        Assert.Equal("hubspot:51", swedes[0]["external_ids"]);
    }

    [Fact]
    public async Task Export_with_a_bad_filter_is_a_problem_and_needs_the_read_scope()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        using var ingest = server.Client(await server.CreateKeyAsync("ingest"));

        var bad = await api.GetAsync("/api/v1/people/export?stage=Warm&grade=E", ct);
        var forbidden = await ingest.GetAsync("/api/v1/people/export", ct);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ProblemAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("stage", out _) && errors.TryGetProperty("grade", out _));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }
}

public sealed class ExportTestsOnSqlite() : ExportTests(DatabaseProvider.Sqlite);

[Collection(LargeImports.Name)]
public sealed class ExportTestsOnPostgres() : ExportTests(DatabaseProvider.Postgres);

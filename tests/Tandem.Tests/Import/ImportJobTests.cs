using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Domain.Import;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Import;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Import;

/// <summary>Import jobs as stored work: idempotent re-runs, in-file duplicates, bad rows, and resuming after a crash.</summary>
public abstract class ImportJobTests(DatabaseProvider provider)
{
    private static byte[] Csv(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task<(long People, long Activities, long StageChanges, long MaxUpdatedAt)> SnapshotAsync(Database db) =>
        (await db.ScalarAsync("SELECT COUNT(*) FROM people"), await db.ScalarAsync("SELECT COUNT(*) FROM activities"),
         await db.ScalarAsync("SELECT COUNT(*) FROM stage_changes"), await db.ScalarAsync("SELECT MAX(updated_at) FROM people"));

    [Fact]
    public async Task Rerunning_the_same_file_changes_nothing()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2024-04-01T09:00:00Z"));
        await using var server = await TandemServer.StartAsync(provider, clock);
        using var api = await server.AdminClientAsync();
        await api.ImportAsync(ImportApi.Sample("hubspot-contacts.csv"));
        var before = await SnapshotAsync(server.Database);
        clock.Advance(TimeSpan.FromDays(1));

        var again = await api.ImportAsync(ImportApi.Sample("hubspot-contacts.csv"));

        Assert.Equal((0, 0, 7), (again.Count("created"), again.Count("updated"), again.Count("unchanged")));
        Assert.Equal(0, again.Count("activities"));
        Assert.Equal(before, await SnapshotAsync(server.Database));
    }

    [Fact]
    public async Task Duplicates_within_a_file_are_merged_into_one_person_and_the_newest_values_win()
    {
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var file = Csv("Email,First Name,Company,Last Modified Date,Visits\n" +
                       "ana@acme.example,Ana,Acme,2024-01-01,4\n" +
                       "ANA@acme.example ,Ana,Acme Corporation,2024-02-01,4\n" +
                       "ana@acme.example,Anna,,2023-06-01,4\n");

        var job = await api.ImportBytesAsync(file);

        Assert.Equal((1, 2), (job.Count("created"), job.Count("updated") + job.Count("unchanged")));
        Assert.Equal(1, job.Count("activities")); // the same visit count, said three times, is one fact
        var people = await api.ExportAsync();
        var ana = Assert.Single(people);
        Assert.Equal(("Ana", "Acme Corporation"), (ana["first_name"], ana["company"])); // the 2023 row is older than both
    }

    [Fact]
    public async Task Bad_rows_are_reported_in_the_error_csv_and_the_good_rows_land()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var file = Csv("email,first name,do not email,visits\n" +
                       "good@acme.example,Good,no,3\n" +
                       "bad@,Bad,no,1\n" +
                       ",Nobody,,\n" +
                       "flag@acme.example,Flag,perhaps,-1\n" +
                       "also.good@acme.example,Also,yes,\n");

        var job = await api.ImportBytesAsync(file);

        Assert.Equal((2, 3), (job.Count("created"), job.Count("errors")));
        var errors = ImportApi.ParseCsv(await api.GetStringAsync($"/api/v1/imports/{job.Id()}/errors", ct));
        Assert.Equal(["3", "4", "5", "5"], errors.Select(e => e["row"]));
        Assert.Equal(("email", "bad@"), (errors[0]["column"], errors[0]["value"]));
        Assert.Contains("neither an email nor an id", errors[1]["reason"]);
        Assert.Equal(("do not email", "perhaps"), (errors[2]["column"], errors[2]["value"]));
        Assert.Equal(["also.good@acme.example", "good@acme.example"], (await api.ExportAsync()).Select(p => p["email"]).Order());
        Assert.Empty(Directory.GetFiles(Path.Combine(server.DataDir, "imports"))); // the uploaded copy goes when its job ends
    }

    [Fact]
    public async Task A_dry_run_shows_the_mapping_and_first_problems_and_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();

        var response = await api.PostImportAsync(await File.ReadAllBytesAsync(ImportApi.Sample("salesforce-leads-report.csv"), ct), dryRun: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.Equal("salesforce", preview.GetProperty("preset").GetString());
        Assert.Equal((6, 1), (preview.GetProperty("validRows").GetInt64(), preview.GetProperty("invalidRows").GetInt64()));
        Assert.Contains(preview.GetProperty("columns").EnumerateArray(), c => c.GetProperty("header").GetString() == "Lead Status" && c.GetProperty("target").GetString() == "stage");
        Assert.Equal(7, preview.GetProperty("firstProblems")[0].GetProperty("row").GetInt64());
        Assert.Equal(0, await server.Database.ScalarAsync("SELECT COUNT(*) FROM people"));
        Assert.Equal(0, await server.Database.ScalarAsync("SELECT COUNT(*) FROM import_jobs"));
    }

    [Fact]
    public async Task Requests_that_cannot_start_an_import_are_problems_naming_the_field()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var csv = Csv("email,name\na@b.example,A\n");

        var notMultipart = await api.PostAsync("/api/v1/imports", new StringContent("email\na@b.example\n", Encoding.UTF8, "text/csv"), ct);
        var badPreset = await api.PostImportAsync(csv, preset: "zoho");
        var badJson = await api.PostImportAsync(csv, mapping: "{\"columns\": [1,2]}");
        var badTarget = await api.PostImportAsync(csv, mapping: "{\"columns\": {\"name\": \"nickname\"}}");
        var empty = await api.PostImportAsync([]);

        foreach (var (response, field) in new[] { (notMultipart, "file"), (badPreset, "preset"), (badJson, "mapping"), (badTarget, "mapping.columns.name"), (empty, "file") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty(field, out _), field);
        }
        Assert.Equal(0, await server.Database.ScalarAsync("SELECT COUNT(*) FROM import_jobs"));
        Assert.Empty(Directory.GetFiles(Path.Combine(server.DataDir, "imports")));
    }

    [Fact]
    public async Task An_import_killed_midway_resumes_from_its_checkpoint_with_no_duplicates()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock(DateTimeOffset.Parse("2024-04-01T09:00:00Z"));
        // No background worker: this test plays both runners itself.
        await using var server = await TandemServer.StartAsync(provider, clock, new Dictionary<string, string?> { ["Tandem:Import:RunJobs"] = "false" });
        var path = Path.Combine(TempFolder.Create("resume"), "leads.csv");
        var text = new StringBuilder("Email,First Name,Total Visits,Lead Status\n");
        for (var i = 1; i <= 1200; i++) text.Append($"lead{i}@acme{i % 40}.example,Lead {i},{i % 7},{(i % 5 == 0 ? "Qualified" : "Open")}\n");
        await File.WriteAllTextAsync(path, text.ToString(), ct);
        var uploads = server.Services.GetRequiredService<ImportUploads>();
        var runner = server.Services.GetRequiredService<ImportRunner>();
        var job = await uploads.CreateJobAsync("leads.csv", await ImportUploads.DescribeAsync(path, ct), "auto",
            new ImportOverrides { Stages = new() { ["Qualified"] = "SQL", ["Open"] = "Lead" } }, Actor.System("test"), runner: "first-runner", ct);

        // The first runner dies after its first committed batch: it never finishes or releases its lease.
        using var kill = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(job, "first-runner", new CancelAfterFirstBatch(kill), kill.Token));
        await server.Database.WriteAsync((c, tx) => Dapper.SqlMapper.ExecuteAsync(c,
            "UPDATE import_jobs SET lease_until = @until WHERE id = @id", new { until = clock.GetUtcNow().AddMinutes(2).ToUnixTimeMilliseconds(), id = job.Id }, tx), ct);
        Assert.Equal(ImportRunner.BatchSize, await server.Database.ScalarAsync("SELECT COUNT(*) FROM people"));
        Assert.Null(await ClaimAsync(server, clock, "second-runner")); // the lease still holds

        clock.Advance(TimeSpan.FromMinutes(3));
        var resumed = await ClaimAsync(server, clock, "second-runner");
        Assert.Equal(ImportRunner.BatchSize, resumed!.RowsDone);
        var done = await runner.RunAsync(resumed, "second-runner", ct: ct);

        Assert.Equal((ImportStatus.Completed, 1200L, 1200L), (done.Status, done.RowsDone, done.CreatedCount));
        Assert.Equal(1200, await server.Database.ScalarAsync("SELECT COUNT(*) FROM people"));
        Assert.Equal(240, await server.Database.ScalarAsync("SELECT COUNT(*) FROM people WHERE stage = 'SQL'"));
        var expectedVisits = Enumerable.Range(1, 1200).Count(i => i % 7 > 0);
        Assert.Equal(expectedVisits, await server.Database.ScalarAsync("SELECT COUNT(*) FROM activities WHERE type = 'website_visits'"));
        Assert.Equal(1200, await server.Database.ScalarAsync("SELECT COUNT(*) FROM stage_changes WHERE from_stage IS NULL"));
    }

    private static Task<ImportJobRow?> ClaimAsync(TandemServer server, ManualClock clock, string owner) =>
        server.Database.WriteAsync((c, tx) => ImportJobStore.ClaimAsync(c, tx, owner, clock.GetUtcNow().ToUnixTimeMilliseconds(), 120_000));

    private sealed class CancelAfterFirstBatch(CancellationTokenSource source) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => source.Cancel();
    }
}

public sealed class ImportJobTestsOnSqlite() : ImportJobTests(DatabaseProvider.Sqlite);

[Collection(LargeImports.Name)]
public sealed class ImportJobTestsOnPostgres() : ImportJobTests(DatabaseProvider.Postgres);

using System.Diagnostics;
using Tandem.Tests.Import;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Cli;

/// <summary>tandem import and tandem export people, run as a separate process the way an operator runs them.</summary>
public class ImportCliTests
{
    private static Task<(int Exit, string Out, string Err)> TandemAsync(params string[] args) => TandemProcess.RunAsync(args);

    [Fact]
    public async Task Import_reports_its_counts_saves_rejected_rows_and_a_second_run_changes_nothing()
    {
        var dir = TempFolder.Create("cli-import");
        var errorsCsv = Path.Combine(dir, "errors.csv");

        var (exit, output, err) = await TandemAsync("import", ImportApi.Sample("salesforce-leads-report.csv"), "--preset", "salesforce",
            "--errors", errorsCsv, "--data-dir", dir);
        var (again, output2, _) = await TandemAsync("import", ImportApi.Sample("salesforce-leads-report.csv"), "--preset", "salesforce", "--data-dir", dir);

        Assert.True(exit == 0, output + err);
        Assert.Contains("6 created, 0 updated, 0 unchanged, 2 skipped, 1 rejected rows", output);
        Assert.Contains("row 7, Email 'erin.walsh@harbor': Not a valid email address.", output);
        Assert.Equal(["row,column,value,reason", "7,Email,erin.walsh@harbor,Not a valid email address."], (await File.ReadAllLinesAsync(errorsCsv, TestContext.Current.CancellationToken)));
        Assert.Equal(0, again);
        Assert.Contains("0 created, 0 updated, 6 unchanged", output2);
    }

    [Fact]
    public async Task Dry_run_prints_the_mapping_and_writes_nothing()
    {
        var dir = TempFolder.Create("cli-dry");
        var (exit, output, _) = await TandemAsync("import", ImportApi.Sample("pipedrive-persons.csv"), "--dry-run", "--data-dir", dir);
        var (_, export, _) = await TandemAsync("export", "people", "--data-dir", dir);

        Assert.Equal(0, exit);
        Assert.Contains("preset pipedrive, windows-1252, semicolon-separated; 5 rows: 4 valid, 1 invalid", output);
        Assert.Contains("Person - Label", output);
        Assert.Contains("'VIP' is not a known stage", output);
        Assert.Single(export.Split('\n', StringSplitOptions.RemoveEmptyEntries)); // the header alone
    }

    [Fact]
    public async Task Export_people_writes_a_filtered_csv_to_standard_output()
    {
        var dir = TempFolder.Create("cli-export");
        await TandemAsync("import", ImportApi.Sample("hubspot-contacts.csv"), "--data-dir", dir);

        var (exit, csv, err) = await TandemAsync("export", "people", "--filter", "stage=Customer,Opportunity", "--data-dir", dir);
        var (badExit, _, badErr) = await TandemAsync("export", "people", "--filter", "colour=blue", "--data-dir", dir);

        Assert.True(exit == 0, err);
        Assert.Equal(["Lucas", "Olivia", "Sofia"], ImportApi.ParseCsv(csv).Select(p => p["first_name"]).Order());
        Assert.Contains("exported 3 people", err);
        Assert.Equal(2, badExit);
        Assert.Contains("'colour' is not a filter", badErr);
    }

    [Fact]
    public async Task A_mapping_that_does_not_fit_the_file_stops_the_import_before_anything_is_written()
    {
        var dir = TempFolder.Create("cli-bad-mapping");
        var mapping = Path.Combine(dir, "mapping.json");
        await File.WriteAllTextAsync(mapping, "{\"columns\": {\"Lead Status\": \"mood\"}}", TestContext.Current.CancellationToken);

        var (exit, _, err) = await TandemAsync("import", ImportApi.Sample("salesforce-leads-report.csv"), "--mapping", mapping, "--data-dir", dir);
        var (_, export, _) = await TandemAsync("export", "people", "--data-dir", dir);

        Assert.Equal(2, exit);
        Assert.Contains("mapping.columns.Lead Status: 'mood' is not a target", err);
        Assert.Single(export.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}

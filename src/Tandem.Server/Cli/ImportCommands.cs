using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Tandem.Domain.Import;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Export;
using Tandem.Server.Hosting;
using Tandem.Server.Identity;
using Tandem.Server.Import;
using Tandem.Server.People;
using Tandem.Server.Storage;

using Tandem.Server.Lifecycle;

namespace Tandem.Server.Cli;

/// <summary>tandem import FILE and tandem export people: thin triggers over the same runner and exporter the API uses.</summary>
internal static class ImportCommands
{
    public static void AddTo(RootCommand root)
    {
        root.Subcommands.Add(ImportCommand());
        root.Subcommands.Add(new Command("export", "Export data as CSV.") { ExportPeopleCommand() });
    }

    private static Command ImportCommand()
    {
        var file = new Argument<FileInfo>("file") { Description = "The CSV file (comma, semicolon or tab; UTF-8 or Windows-1252)." };
        var preset = new Option<string>("--preset") { Description = $"Source system: {string.Join(", ", ImportPresets.Names)} (default auto).", DefaultValueFactory = _ => ImportPresets.Auto };
        var mapping = new Option<FileInfo?>("--mapping") { Description = "JSON with columns, stages, externalIdSource, placeholders, outcomeStage overrides." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the mapping and the first problems; write nothing." };
        var errors = new Option<FileInfo?>("--errors") { Description = "Write every rejected row (row, column, value, reason) to this CSV." };
        var command = new Command("import", "Import people from a CSV export (Salesforce, HubSpot, Mautic, Pipedrive or any CSV). Re-running resumes or changes nothing.")
            { file, preset, mapping, dryRun, errors };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) { Console.Error.WriteLine($"error: {path.FullName} does not exist."); return 2; }
            ImportOverrides overrides;
            try
            {
                overrides = parse.GetValue(mapping) is { } m
                    ? JsonSerializer.Deserialize<ImportOverrides>(await File.ReadAllTextAsync(m.FullName, ct), Json.Options) ?? new ImportOverrides()
                    : new ImportOverrides();
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                Console.Error.WriteLine($"error: the mapping file cannot be read: {e.Message}");
                return 2;
            }
            var app = TandemApp.Build([], Overrides(parse));
            var services = app.Services;
            await TandemApp.PrepareDatabaseAsync(services, ct);
            var presetName = parse.GetValue(preset)!.Trim().ToLowerInvariant();

            if (parse.GetValue(dryRun))
            {
                var (preview, problems) = ImportPreview.Run(path.FullName, presetName, overrides, services.GetRequiredService<LifecycleSettings>(), ct);
                if (preview is not null) { ShowPreview(preview); return 0; }
                foreach (var (field, reason) in problems) Console.Error.WriteLine($"error: {field}: {reason}");
                return 2;
            }
            // The header decides the mapping; the rows are validated as they are imported.
            if (ImportPreview.CheckHeader(path.FullName, presetName, overrides) is { Count: > 0 } headerProblems)
            {
                foreach (var (field, reason) in headerProblems) Console.Error.WriteLine($"error: {field}: {reason}");
                return 2;
            }
            return await RunAsync(services, path, presetName, overrides, parse.GetValue(errors), ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(IServiceProvider services, FileInfo path, string preset, ImportOverrides overrides, FileInfo? errorsFile, CancellationToken ct)
    {
        var db = services.GetRequiredService<Database>();
        var uploads = services.GetRequiredService<ImportUploads>();
        var clock = services.GetRequiredService<TimeProvider>();
        var runner = services.GetRequiredService<ImportRunner>();
        var owner = $"cli:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
        var stored = await ImportUploads.DescribeAsync(path.FullName, ct);

        var unfinished = await db.ReadAsync(c => ImportJobStore.FindUnfinishedAsync(c, stored.Sha256, preset, Json.Write(overrides)), ct);
        ImportJobRow? job;
        if (unfinished is not null)
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            job = await db.WriteAsync((c, tx) => ImportJobStore.ClaimAsync(c, tx, owner, now, (long)ImportRunner.Lease.TotalMilliseconds, unfinished.Id), ct);
            if (job is null)
            {
                var until = unfinished.LeaseUntil is { } l ? DateTimeOffset.FromUnixTimeMilliseconds(l).ToString("HH:mm:ss 'UTC'") : "soon";
                Console.Error.WriteLine($"error: import {unfinished.Id} of this file is running elsewhere (or its runner died); it can be resumed after {until}.");
                return 1;
            }
            Console.WriteLine($"Resuming import {job.Id} after row {job.RowsDone + 1:N0}.");
        }
        else job = await uploads.CreateJobAsync(path.Name, stored, preset, overrides, Actor.System("tandem import"), owner, ct);

        var watch = Stopwatch.StartNew();
        var startRows = job.RowsDone;
        ImportJobRow? done = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"import {job.Id}: {path.Name}", maxValue: Math.Max(1, stored.Bytes));
                var reporter = new Progress<ImportProgress>(p =>
                {
                    task.Value = p.Bytes;
                    var rate = (p.Rows - startRows) / Math.Max(0.001, watch.Elapsed.TotalSeconds);
                    task.Description = $"import {job.Id}: {p.Rows:N0} rows, {rate:N0} rows/s, {p.Errors:N0} errors";
                });
                done = await runner.RunAsync(job, owner, reporter, ct);
                task.Value = task.MaxValue;
            });

        var j = done!;
        var seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"Import {j.Id} {j.Status} in {seconds:N1} s ({(j.RowsDone - startRows) / Math.Max(0.001, seconds):N0} rows/s): " +
                          $"{j.CreatedCount:N0} created, {j.UpdatedCount:N0} updated, {j.UnchangedCount:N0} unchanged, {j.SkippedCount:N0} skipped, " +
                          $"{j.ErrorCount:N0} rejected rows, {j.ActivityCount:N0} activities.");
        if (j.Failure is not null) Console.Error.WriteLine($"error: {j.Failure}");
        if (j.ErrorCount > 0)
        {
            var first = await db.ReadAsync(c => ImportJobStore.ErrorsAsync(c, j.Id, 10), ct);
            foreach (var e in first) Console.WriteLine($"  row {e.Row}{(e.Column is null ? "" : $", {e.Column}")}{(e.Value is null ? "" : $" '{e.Value}'")}: {e.Reason}");
            if (errorsFile is not null)
            {
                await using var w = new StreamWriter(errorsFile.FullName, false, new UTF8Encoding(false));
                await w.WriteAsync("row,column,value,reason\n");
                long after = 0;
                for (IReadOnlyList<RowProblem> page; (page = await db.ReadAsync(c => ImportJobStore.ErrorsAsync(c, j.Id, 1000, after), ct)).Count > 0; after += page.Count)
                    foreach (var e in page) await w.WriteAsync($"{e.Row},{CsvText.Escape(e.Column)},{CsvText.Escape(e.Value)},{CsvText.Escape(e.Reason)}\n");
                Console.WriteLine($"All rejected rows: {errorsFile.FullName}");
            }
            else Console.WriteLine("Add --errors FILE to save every rejected row as CSV.");
        }
        return j.Status == ImportStatus.Completed ? 0 : 1;
    }

    private static void ShowPreview(ImportPreviewDto p)
    {
        Console.WriteLine($"Dry run: preset {p.Preset}, {p.Encoding}, {p.Delimiter}-separated; {p.Rows:N0} rows: {p.ValidRows:N0} valid, {p.InvalidRows:N0} invalid, {p.SkippedRows:N0} skipped. Nothing was written.");
        var table = new Table().AddColumns("column", "→ target", "because");
        foreach (var c in p.Columns) table.AddRow(Markup.Escape(c.Header), Markup.Escape(c.Target), Markup.Escape(c.How));
        AnsiConsole.Write(table);
        Console.WriteLine("Stages: " + string.Join(", ", p.Stages.Select(s => $"{s.Key} {s.Value:N0}")));
        foreach (var e in p.FirstProblems)
            Console.WriteLine($"  row {e.Row}{(e.Column is null ? "" : $", {e.Column}")}{(e.Value is null ? "" : $" '{e.Value}'")}: {e.Reason}");
    }

    private static Command ExportPeopleCommand()
    {
        var filter = new Option<string[]>("--filter")
        {
            Description = $"key=value; keys: {string.Join(", ", PeopleQuery.Filters.Select(f => f.Name))}. Repeatable.",
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file instead of standard output." };
        var command = new Command("people", "Export people as CSV (stage, scores, owner, source, custom fields); imports back with --preset tandem.") { filter, output };
        command.SetAction(async (parse, ct) =>
        {
            var v = new Validation();
            var query = PeopleQuery.ParsePairs(parse.GetValue(filter) ?? [], v);
            if (!v.IsValid)
            {
                foreach (var (field, reasons) in v.Errors) Console.Error.WriteLine($"error: {field}: {string.Join(" ", reasons)}");
                return 2;
            }
            var db = LoadOptions(parse).CreateDatabase();
            await new Migrator(db).MigrateAsync(ct);
            await using var c = await db.OpenAsync(ct);
            var target = parse.GetValue(output);
            await using var writer = target is null
                ? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 64 * 1024)
                : new StreamWriter(target.FullName, false, new UTF8Encoding(false), 64 * 1024);
            var count = await PeopleCsvExporter.WriteAsync(c, query, writer, ct);
            Console.Error.WriteLine($"exported {count:N0} people");
            return 0;
        });
        return command;
    }

    private static Dictionary<string, string?> Overrides(ParseResult parse)
    {
        var overrides = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" };
        if (parse.GetValue<string?>("--data-dir") is { } dir) overrides["Tandem:DataDir"] = dir;
        return overrides;
    }

    private static TandemOptions LoadOptions(ParseResult parse) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(Overrides(parse))
            .Build().GetSection(TandemOptions.Section).Get<TandemOptions>() ?? new TandemOptions();
}

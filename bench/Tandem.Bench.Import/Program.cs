using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tandem.Bench.Import;
using Tandem.Domain.Import;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Hosting;
using Tandem.Server.Import;
using Tandem.Server.Storage;

// Import benchmark: a generated lead export (realistic fields, ~5% duplicates, ~1% bad rows) imported by Tandem
// (mapping, validation, de-duplication, survivorship, accounts, stages, activities, person events) against a raw
// parse-and-insert of the same file into one plain table by the same engine, in the same run.
// dotnet run -c Release --project bench/Tandem.Bench.Import -- [--postgres CONNSTR] [--out DIR] [--quick] [--rows N]
var options = BenchOptions.Parse(args);
var work = Path.Combine(Path.GetTempPath(), $"tandem-bench-import-{Guid.NewGuid():N}"[..32]);
Directory.CreateDirectory(work);
var file = Path.Combine(work, "leads.csv");
var generate = Stopwatch.StartNew();
LeadFileGenerator.Write(file, options.Rows);
Console.WriteLine($"Generated {options.Rows:N0} rows ({new FileInfo(file).Length / 1048576.0:N1} MB) in {generate.Elapsed.TotalSeconds:N1} s: {file}");

var results = new List<EngineResult>();
try
{
    results.Add(await RunEngineAsync(DatabaseProvider.Sqlite, null));
    if (options.Postgres is { } pg) results.Add(await RunEngineAsync(DatabaseProvider.Postgres, pg));
}
finally
{
    Directory.Delete(work, recursive: true);
}

Console.WriteLine();
Console.WriteLine($"{"engine",-10} {"rows",10} {"tandem s",9} {"rows/s",9} {"raw s",7} {"raw rows/s",11} {"ratio",6} {"created",9} {"merged",8} {"errors",7} {"activities",11} {"target",8}");
foreach (var r in results)
    Console.WriteLine($"{r.Engine,-10} {r.Rows,10:N0} {r.TandemSeconds,9:N1} {r.TandemRowsPerSecond,9:N0} {r.RawSeconds,7:N1} {r.RawRowsPerSecond,11:N0} {r.Ratio,6:N2} {r.Created,9:N0} {r.Merged,8:N0} {r.Errors,7:N0} {r.Activities,11:N0} {(r.Engine == "sqlite" ? (r.MeetsTarget ? "met" : "missed") : "-"),8}");
Console.WriteLine($"target: {options.Rows:N0} rows in <= {BenchOptions.TargetSeconds(options.Rows):N1} s on SQLite (60 s per million); ratio = Tandem rows/s / raw rows/s. Peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MB.");

Directory.CreateDirectory(options.OutDir);
var json = Path.Combine(options.OutDir, "import.json");
await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new
{
    benchmark = "import", rows = options.Rows, quick = options.Quick, machine = Environment.MachineName, cores = Environment.ProcessorCount,
    at = DateTimeOffset.UtcNow, targetSeconds = BenchOptions.TargetSeconds(options.Rows), results,
    peakWorkingSetMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576,
}, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
Console.WriteLine($"wrote {json}");
return 0;

async Task<EngineResult> RunEngineAsync(DatabaseProvider provider, string? admin)
{
    var engine = provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres";
    Console.WriteLine($"[{engine}] raw parse-and-insert…");
    var rawDb = new Database(provider, await FreshDatabaseAsync(provider, admin, "raw"));
    var raw = await RawImport.RunAsync(rawDb, file);
    Console.WriteLine($"[{engine}] raw: {raw.Rows:N0} rows in {raw.Seconds:N1} s ({raw.Rows / raw.Seconds:N0} rows/s)");

    var connection = await FreshDatabaseAsync(provider, admin, "tandem");
    var app = TandemApp.Build([], new Dictionary<string, string?>
    {
        ["Tandem:DataDir"] = Path.Combine(work, engine), ["Tandem:Database:Provider"] = provider.ToString(),
        ["Tandem:Database:ConnectionString"] = connection, ["Tandem:Import:RunJobs"] = "false", ["Logging:LogLevel:Default"] = "Warning",
    });
    var db = app.Services.GetRequiredService<Database>();
    await new Migrator(db).MigrateAsync();
    var uploads = app.Services.GetRequiredService<ImportUploads>();
    var runner = app.Services.GetRequiredService<ImportRunner>();
    Console.WriteLine($"[{engine}] tandem import…");
    var watch = Stopwatch.StartNew();
    var job = await uploads.CreateJobAsync("leads.csv", await ImportUploads.DescribeAsync(file, default), ImportPresets.Auto, new ImportOverrides(),
        Actor.System("benchmark"), runner: "bench");
    var lastPrint = Stopwatch.StartNew();
    var done = await runner.RunAsync(job, "bench", new SyncProgress(p =>
    {
        if (lastPrint.Elapsed.TotalSeconds < 5) return;
        lastPrint.Restart();
        Console.WriteLine($"[{engine}]   {p.Rows:N0} rows, {p.Rows / watch.Elapsed.TotalSeconds:N0} rows/s");
    }));
    var seconds = watch.Elapsed.TotalSeconds;
    if (done.Status != ImportStatus.Completed) throw new InvalidOperationException($"import {done.Status}: {done.Failure}");
    var people = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM people"));
    Console.WriteLine($"[{engine}] tandem: {done.RowsDone:N0} rows in {seconds:N1} s ({done.RowsDone / seconds:N0} rows/s), {people:N0} people");
    await app.DisposeAsync();
    var tandemRate = done.RowsDone / seconds;
    return new EngineResult(engine, done.RowsDone, Math.Round(seconds, 2), Math.Round(tandemRate), Math.Round(raw.Seconds, 2), Math.Round(raw.Rows / raw.Seconds),
        Math.Round(tandemRate / (raw.Rows / raw.Seconds), 3), done.CreatedCount, done.UpdatedCount + done.UnchangedCount, done.ErrorCount, done.ActivityCount, people,
        seconds <= BenchOptions.TargetSeconds(options.Rows));
}

async Task<string> FreshDatabaseAsync(DatabaseProvider provider, string? admin, string purpose)
{
    if (provider == DatabaseProvider.Sqlite) return $"Data Source={Path.Combine(work, purpose + ".db")}";
    var name = $"tandem_bench_import_{purpose}_{Guid.NewGuid():N}"[..40];
    await using var c = new NpgsqlConnection(admin);
    await c.OpenAsync();
    await c.ExecuteAsync($"CREATE DATABASE {name}");
    return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
}

public sealed record EngineResult(string Engine, long Rows, double TandemSeconds, double TandemRowsPerSecond, double RawSeconds, double RawRowsPerSecond,
    double Ratio, long Created, long Merged, long Errors, long Activities, long People, bool MeetsTarget);

internal sealed class SyncProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
{
    public void Report(ImportProgress value) => report(value);
}

public sealed record BenchOptions(int Rows, string? Postgres, string OutDir, bool Quick)
{
    public static double TargetSeconds(long rows) => 60.0 * rows / 1_000_000;

    public static BenchOptions Parse(string[] args)
    {
        int rows = 1_000_000; string? pg = null; var outDir = Path.Combine("bench", "results"); var quick = false;
        for (var i = 0; i < args.Length; i++)
            switch (args[i])
            {
                case "--quick": quick = true; rows = 20_000; break;
                case "--rows": rows = int.Parse(args[++i]); break;
                case "--postgres": pg = args[++i]; break;
                case "--out": outDir = args[++i]; break;
                default: throw new ArgumentException($"unknown argument {args[i]}; use [--postgres CONNSTR] [--out DIR] [--quick] [--rows N]");
            }
        return new BenchOptions(rows, pg, outDir, quick);
    }
}

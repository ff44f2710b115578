// Full re-score after a scoring-model change: N people with M events, on SQLite (and PostgreSQL when given).
//   dotnet run -c Release --project bench/Tandem.Bench.Rescore -- [--people 1000000] [--events 20000000] [--postgres CONNSTR] [--out DIR] [--quick]
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tandem.Bench.Rescore;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;

var arguments = Arguments.Parse(args);
var results = new List<Result>();
foreach (var (provider, connectionString) in arguments.Databases())
{
    Console.WriteLine($"== {provider}: generating {arguments.People:N0} people with {arguments.Events:N0} events…");
    var db = new Database(provider, connectionString);
    await new Migrator(db).MigrateAsync();
    var generated = Stopwatch.StartNew();
    await Workload.GenerateAsync(db, arguments.People, arguments.Events);
    Console.WriteLine($"   generated in {generated.Elapsed.TotalSeconds:N0} s");

    var clock = TimeProvider.System;
    var models = new ScoringModels(db, clock);
    var host = Host.For(db);
    var rescore = host.Rescore;

    var v1 = ScoringModels.BuiltIn("b2b-default");
    var version1 = await db.WriteAsync((c, tx) => models.PublishAsync(c, tx, v1, "bench"));
    var first = await Timed(() => rescore.RunAsync(new CompiledModel(version1, v1), dryRun: false));
    Console.WriteLine($"   first scoring (v1): {first.Seconds:N2} s");

    // The model change people make: pricing interest is worth more, docs readers earn points, the MQL line moves.
    var v2 = Workload.Changed(v1);
    var preview = await Timed(() => rescore.RunAsync(new CompiledModel(0, v2), dryRun: true));
    var version2 = await db.WriteAsync((c, tx) => models.PublishAsync(c, tx, v2, "bench"));
    var full = await Timed(() => rescore.RunAsync(new CompiledModel(version2, v2), dryRun: false));
    var rss = Process.GetCurrentProcess().PeakWorkingSet64;
    var result = new Result(provider.ToString(), arguments.People, arguments.Events, first.Seconds, preview.Seconds, full.Seconds,
        full.Value.People / full.Seconds, full.Value.MoveIntoMql, preview.Value.MoveIntoMql, rss / 1024 / 1024, arguments.TargetSeconds);
    results.Add(result);
    Console.WriteLine($"   dry run (v2 preview): {preview.Seconds:N2} s, would move {preview.Value.MoveIntoMql:N0} into MQL");
    Console.WriteLine($"   full re-score (v2): {full.Seconds:N2} s, moved {full.Value.MoveIntoMql:N0} into MQL");
}

Console.WriteLine();
Console.WriteLine($"{"engine",-9} {"people",12} {"events",13} {"first score",12} {"dry run",9} {"re-score",9} {"people/s",11} {"target",8} {"peak RSS",9}");
foreach (var r in results)
    Console.WriteLine($"{r.Engine,-9} {r.People,12:N0} {r.Events,13:N0} {r.FirstScoreSeconds,10:N2} s {r.DryRunSeconds,7:N2} s {r.RescoreSeconds,7:N2} s {r.PeoplePerSecond,11:N0} {(r.RescoreSeconds <= r.TargetSeconds ? "met" : "missed"),8} {r.PeakRssMb,6:N0} MB");
Directory.CreateDirectory(arguments.Out);
var path = Path.Combine(arguments.Out, "rescore.json");
await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { scenario = "full re-score after a model change", target = $"≤ {arguments.TargetSeconds} s", results },
    new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
Console.WriteLine($"wrote {path}");
foreach (var (provider, cs) in arguments.Databases()) await Workload.DropAsync(provider, cs);

static async Task<(T Value, double Seconds)> Timed<T>(Func<Task<T>> run)
{
    var watch = Stopwatch.StartNew();
    var value = await run();
    return (value, watch.Elapsed.TotalSeconds);
}

internal sealed record Result(string Engine, long People, long Events, double FirstScoreSeconds, double DryRunSeconds, double RescoreSeconds,
    double PeoplePerSecond, long MovedIntoMql, long PreviewedIntoMql, long PeakRssMb, double TargetSeconds);

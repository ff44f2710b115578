using Tandem.Bench.Ingestion;
using Tandem.Bench.Kit;
using Tandem.Server.Security;
using Tandem.Server.Storage;

// Tracking ingestion through /v1/batch: sustained events/s from several concurrent senders, and its
// ratio to the raw insert rate of the same storage engine, measured in the same run.
var arguments = BenchArguments.Parse(args);
var quick = arguments.Quick;
const int batchSize = 100;
const int knownUsers = 5_000;
const double knownShare = 0.3;
var senders = quick ? 4 : 8;
var warmUp = TimeSpan.FromSeconds(quick ? 1 : 3);
var duration = TimeSpan.FromSeconds(quick ? 3 : 20);

var report = new BenchReport("ingestion", arguments);
report.Setting("senders", senders);
report.Setting("batchSize", batchSize);
report.Setting("knownUserShare", knownShare);
report.Setting("seconds", duration.TotalSeconds);

foreach (var target in arguments.Targets())
{
    Console.WriteLine($"[ingestion] {target.Name}: {senders} senders × {batchSize}-message batches for {duration.TotalSeconds:0}s…");
    HttpIngestion.Outcome http;
    List<RawInsertLoop.Row> rows;
    Database served;
    double residentMiB;
    TimeSpan serverCpu;
    await using (var server = await ServerProcess.StartAsync(target, "ingestion"))
    {
        var key = await server.CreateKeyAsync(Scopes.Ingest);
        var cpuBefore = server.CpuTime;
        http = await HttpIngestion.RunAsync(server.BaseUrl, key, senders, batchSize, warmUp, duration, knownUsers, knownShare);
        serverCpu = server.CpuTime - cpuBefore;
        residentMiB = server.ResidentMiB;
        served = server.Database;
        rows = await RawInsertLoop.ReadRowsAsync(served);

        Console.WriteLine($"[ingestion] {target.Name}: raw insert of the same {rows.Count:N0} rows…");
        var rawDir = Path.Combine(Path.GetTempPath(), "tandem-bench", $"raw-{Guid.NewGuid():N}");
        var rawDb = await target.CreateMigratedDatabaseAsync(rawDir, "raw");
        var writers = target.Provider == DatabaseProvider.Sqlite ? 1 : senders;
        var raw = await RawInsertLoop.RunAsync(served, rawDb, rows, batchSize, writers);
        try { Directory.Delete(rawDir, recursive: true); } catch (IOException) { }

        var ratio = http.EventsPerSecond / raw.RowsPerSecond;
        report.Row(new()
        {
            ["engine"] = target.Name,
            ["events"] = http.Events,
            ["stored"] = http.Stored,
            ["failed batches"] = http.Failures,
            ["events/s"] = Math.Round(http.EventsPerSecond),
            ["batch p50 ms"] = Math.Round(http.BatchLatencyMs.At(50), 1),
            ["batch p99 ms"] = Math.Round(http.BatchLatencyMs.At(99), 1),
            ["raw rows/s"] = Math.Round(raw.RowsPerSecond),
            ["raw writers"] = writers,
            ["ratio"] = Math.Round(ratio, 3),
            ["server CPU s"] = Math.Round(serverCpu.TotalSeconds, 1),
            // CPU per event holds steadier than events/s when other work shares the machine.
            ["server CPU µs/event"] = http.Events == 0 ? null : Math.Round(serverCpu.TotalMilliseconds * 1000 / http.Events),
            ["server MiB"] = Math.Round(residentMiB),
        });
        report.Target(target.Name, "events/s", "≥ 50,000", http.EventsPerSecond, http.EventsPerSecond >= 50_000);
        report.Target(target.Name, "ratio to raw insert", "≥ 0.5", ratio, ratio >= 0.5);
    }
}
await report.WriteAsync();

// The funnel at scale: N people with their stage histories and M activities on SQLite, then the funnel for a period,
// with and without breakdowns, read from the stage_reached rollup — beside the same funnel computed from the raw
// stage history (stage_changes), which must give the same numbers.
//   dotnet run -c Release --project bench/Tandem.Bench.Reports -- [--people 1000000] [--events 20000000] [--out DIR] [--quick]
using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Tandem.Bench.Reports;
using Tandem.Server.Reports;
using Tandem.Server.Storage;

string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var quick = args.Contains("--quick");
var peopleCount = long.Parse(Value("--people") ?? (quick ? "50000" : "1000000"));
var eventCount = long.Parse(Value("--events") ?? (peopleCount * 20).ToString());
var outDir = Value("--out") ?? Path.Combine("bench", "results");
const double targetMs = 300;

var work = Path.Combine(Path.GetTempPath(), "tandem-bench-reports-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(work);
var file = Path.Combine(work, "reports.db");
var db = new Database(DatabaseProvider.Sqlite, $"Data Source={file}");
await new Migrator(db).MigrateAsync();
Console.WriteLine($"== Sqlite: generating {peopleCount:N0} people with their stage histories and {eventCount:N0} activities…");
var generated = Stopwatch.StartNew();
var now = await Generator.GenerateAsync(db, peopleCount, eventCount);
Console.WriteLine($"   generated in {generated.Elapsed.TotalSeconds:N0} s");
var counts = await db.ReadAsync(async c => (People: await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM people"),
    Activities: await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM activities"), Changes: await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM stage_changes"),
    Reached: await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM stage_reached")));
Console.WriteLine($"   {counts.People:N0} people, {counts.Activities:N0} activities, {counts.Changes:N0} stage changes, {counts.Reached:N0} stage_reached rows");

var to = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
var cases = new (string Name, ReportRequest Request)[]
{
    ("period, last 90 days", new(to.AddDays(-90), to, "week", FunnelMode.Period, null)),
    ("period, last 90 days, by channel", new(to.AddDays(-90), to, "week", FunnelMode.Period, Dimension.Channel)),
    ("period, last 90 days, by rep", new(to.AddDays(-90), to, "week", FunnelMode.Period, Dimension.Rep)),
    ("period, last 90 days, by persona", new(to.AddDays(-90), to, "week", FunnelMode.Period, Dimension.Persona)),
    ("period, last 30 days, by grade", new(to.AddDays(-30), to, "week", FunnelMode.Period, Dimension.Grade)),
    ("period, last 365 days, by month", new(to.AddDays(-365), to, "month", FunnelMode.Period, null)),
    ("created cohort, last 90 days, by channel", new(to.AddDays(-90), to, "week", FunnelMode.Cohort, Dimension.Channel)),
    ("MQL cohort, last 90 days, by team", new(to.AddDays(-90), to, "week", FunnelMode.MqlCohort, Dimension.Team)),
};

var results = new List<object>();
Console.WriteLine();
Console.WriteLine($"{"funnel",-42} {"rollup median",14} {"rollup max",11} {"target",7}");
foreach (var (name, request) in cases)
{
    var times = new List<double>();
    FunnelDto? funnel = null;
    for (var i = 0; i < 5; i++)
    {
        var watch = Stopwatch.StartNew();
        funnel = await db.ReadAsync(c => FunnelReport.ReadAsync(c, request, null));
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    var median = times.Order().ElementAt(2);
    Console.WriteLine($"{name,-42} {median,11:N0} ms {times.Max(),8:N0} ms {(median <= targetMs ? "met" : "missed"),7}");
    results.Add(new { funnel = name, rollupMedianMs = median, rollupMaxMs = times.Max(), met = median <= targetMs, lead = funnel!.Steps[0].Count });
}

// The same period funnel from raw rows: each person's first arrival at each stage, or past it, from the whole stage history.
var raw = cases[0].Request;
var rawWatch = Stopwatch.StartNew();
var rawCounts = (await db.ReadAsync(c => c.QueryAsync<(string Stage, long Count)>(RawFunnel.Sql, new { from = raw.FromMs, to = raw.ToMs })))
    .ToDictionary(x => x.Stage, x => x.Count);
var rawMs = rawWatch.Elapsed.TotalMilliseconds;
var rolled = await db.ReadAsync(c => FunnelReport.ReadAsync(c, raw, null));
var same = rolled.Steps.All(s => rawCounts.GetValueOrDefault(s.Stage) == s.Count) && rolled.Exits.All(e => rawCounts.GetValueOrDefault(e.Stage) == e.Count);
Console.WriteLine($"{"raw stage history: period, last 90 days",-42} {rawMs,11:N0} ms   (same numbers as the rollup: {(same ? "yes" : "NO")})");
Console.WriteLine($"   {string.Join(", ", rolled.Steps.Select(s => $"{s.Stage} {s.Count:N0}"))}");

Directory.CreateDirectory(outDir);
var path = Path.Combine(outDir, "reports.json");
await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new
{
    scenario = "the revenue-cycle funnel for a period and breakdown", target = $"≤ {targetMs} ms on SQLite", engine = "Sqlite", counts.People,
    counts.Activities, counts.Changes, results, rawStageHistoryMs = rawMs, rawMatchesRollup = same,
}, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
Console.WriteLine($"wrote {path}");
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
Directory.Delete(work, recursive: true);
return same ? 0 : 1;

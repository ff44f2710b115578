// SLA benchmark: business-calendar arithmetic, the cost of starting clocks on assignment, and how fast the
// scheduler fires due reminders and breaches — on SQLite, and on PostgreSQL when --postgres is given.
// dotnet run -c Release --project bench/Tandem.Bench.Sla -- [--postgres CONNSTR] [--out DIR] [--quick]
using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Tandem.Bench.Sla;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Routing;
using Tandem.Server.Sla;
using Tandem.Server.Storage;

var postgres = Arg("--postgres");
var outDir = Arg("--out") ?? Path.Combine("bench", "results");
var quick = args.Contains("--quick");
var leads = quick ? 300 : 5_000;

var results = new List<Row> { Calendar(quick ? 100_000 : 1_000_000) };
results.AddRange(await ClocksAsync("sqlite", leads, null));
if (postgres is not null) results.AddRange(await ClocksAsync("postgres", leads, postgres));

Console.WriteLine();
Console.WriteLine($"{"engine",-9} {"measure",-44} {"value",14}  unit");
Console.WriteLine(new string('-', 80));
foreach (var r in results) Console.WriteLine($"{r.Engine,-9} {r.Measure,-44} {r.Value,14:N1}  {r.Unit}");
Directory.CreateDirectory(outDir);
var file = Path.Combine(outDir, "sla.json");
await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { name = "sla", quick, leads, results }, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"\nwritten {file}");
return 0;

string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static Row Calendar(int operations)
{
    var calendar = new BusinessCalendar(TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), WeeklyHours.Weekdays(9 * 60, 17 * 60),
        [new DateOnly(2026, 11, 26), new DateOnly(2026, 12, 25)]);
    var random = new Random(1);
    var start = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    var watch = Stopwatch.StartNew();
    long checksum = 0;
    for (var i = 0; i < operations; i++)
    {
        var from = start.AddMinutes(random.Next(0, 90 * 24 * 60));
        var due = calendar.AddTime(from, TimeSpan.FromMinutes(random.Next(1, 5 * 8 * 60)));
        checksum += (long)calendar.Between(from, due).TotalMinutes;
    }
    GC.KeepAlive(checksum);
    return new Row("-", "calendar: add + measure business time (NY, DST)", operations / watch.Elapsed.TotalSeconds, "pairs/s");
}

static async Task<List<Row>> ClocksAsync(string engine, int leads, string? adminConnectionString)
{
    var clock = new BenchClock(new DateTimeOffset(2026, 11, 2, 14, 0, 0, TimeSpan.Zero)); // Monday 09:00 in New York
    var (provider, connectionString, drop) = await DatabaseFor(engine, adminConnectionString);
    var app = TandemApp.Build([], new Dictionary<string, string?>
    {
        ["Tandem:DataDir"] = Path.GetDirectoryName(Path.GetTempFileName()), ["Tandem:Database:Provider"] = provider.ToString(),
        ["Tandem:Database:ConnectionString"] = connectionString, ["Tandem:Sla:SchedulerEnabled"] = "false", ["Logging:LogLevel:Default"] = "Warning",
    }, s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
    var db = app.Services.GetRequiredService<Database>();
    await new Migrator(db).MigrateAsync();
    var (rep, team, people) = await SeedAsync(db, leads, clock.GetUtcNow().ToUnixTimeMilliseconds());
    var consequences = app.Services.GetRequiredService<Consequences>();
    var assignOwner = app.Services.GetRequiredService<AssignOwner>();
    var ticker = app.Services.GetRequiredService<SlaTicker>();
    var actor = Actor.System("bench");

    // The same transaction without the SLA hook, measured in the same run: what the clocks add to an assignment.
    var bare = new List<double>(leads);
    foreach (var id in people)
    {
        var watch = Stopwatch.StartNew();
        await db.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE people SET owner_team_id = @team WHERE id = @id", new { team, id }, tx));
        bare.Add(watch.Elapsed.TotalMilliseconds);
    }
    bare.Sort();

    // Assignment through the one assignment use case: decision, owner, timeline, three clocks and six reminders started,
    // the rep's and manager's notifications — one transaction per lead.
    var latencies = new List<double>(leads);
    var total = Stopwatch.StartNew();
    foreach (var id in people)
    {
        var watch = Stopwatch.StartNew();
        await consequences.WriteAsync(async (c, tx) =>
        {
            var person = (await PersonStore.FindAsync(c, tx, id, forUpdate: true))!;
            await assignOwner.AssignAsync(c, tx, person, new OwnerChange(rep, team, "bench", "assigned by the benchmark", actor,
                clock.GetUtcNow().ToUnixTimeMilliseconds()));
        });
        latencies.Add(watch.Elapsed.TotalMilliseconds);
    }
    var assignRate = leads / total.Elapsed.TotalSeconds;
    latencies.Sort();

    clock.Advance(TimeSpan.FromMinutes(55)); // both first-touch reminders due
    var t = Stopwatch.StartNew();
    var reminders = await ticker.TickAsync();
    var reminderRate = reminders.RemindersSent / t.Elapsed.TotalSeconds;
    clock.Advance(TimeSpan.FromMinutes(10)); // first touch breached
    t.Restart();
    var breaches = await ticker.TickAsync();
    var breachRate = breaches.Breaches / t.Elapsed.TotalSeconds;
    if (reminders.RemindersSent != 2 * leads || breaches.Breaches != leads)
        throw new InvalidOperationException($"expected {2 * leads} reminders and {leads} breaches, got {reminders} and {breaches}");

    // Tracking traffic for people with no clocks must stay cheap: one lookup per batch of 100.
    var idle = people.Take(100).Select(p => p + 10_000_000).ToArray();
    var slaHook = app.Services.GetServices<IPersonEventHandler>().OfType<SlaClockKeeper>().Single();
    var idleCost = await db.WriteAsync(async (c, tx) =>
    {
        var watch = Stopwatch.StartNew(); // inside one transaction: the hook's own cost, not the commit's
        for (var i = 0; i < 1000; i++) await slaHook.OnActivitiesAppendedAsync(c, tx, new ActivitiesAppended(idle, actor));
        return watch.Elapsed.TotalMilliseconds / 1000;
    });

    await app.DisposeAsync();
    if (drop is not null) await drop();
    return
    [
        new(engine, "assign without SLA hook, p50 (baseline)", Percentile(bare, 0.5), "ms"),
        new(engine, "assign + start clocks, p50", Percentile(latencies, 0.5), "ms"),
        new(engine, "assign + start clocks, p99", Percentile(latencies, 0.99), "ms"),
        new(engine, "assign + start clocks, throughput", assignRate, "leads/s"),
        new(engine, "scheduler: reminders fired", reminderRate, "reminders/s"),
        new(engine, "scheduler: breaches fired (event+outbox)", breachRate, "breaches/s"),
        new(engine, "activity hook, batch of 100 unclocked people", idleCost, "ms/batch"),
    ];
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static async Task<(long Rep, long Team, List<long> People)> SeedAsync(Database db, int leads, long now) => await db.WriteAsync(async (c, tx) =>
{
    var manager = await c.ExecuteScalarAsync<long>("INSERT INTO users (email, normalized_email, name, role, security_stamp, created_at, updated_at) " +
                                                   "VALUES ('m@bench', 'M@BENCH', 'Manager', 'sales_manager', 's', @now, @now) RETURNING id", new { now }, tx);
    var rep = await c.ExecuteScalarAsync<long>("INSERT INTO users (email, normalized_email, name, role, security_stamp, created_at, updated_at) " +
                                               "VALUES ('r@bench', 'R@BENCH', 'Rep', 'sales_rep', 's', @now, @now) RETURNING id", new { now }, tx);
    var team = await c.ExecuteScalarAsync<long>("INSERT INTO teams (name, manager_user_id, created_at) VALUES ('Bench', @manager, @now) RETURNING id", new { manager, now }, tx);
    var weekday = new[] { "09:00-17:00" };
    var calendar = await c.ExecuteScalarAsync<long>(
        "INSERT INTO sla_calendars (name, time_zone, weekly_hours, holidays, created_at, updated_at) VALUES ('NY', 'America/New_York', @hours, '[]', @now, @now) RETURNING id",
        new { hours = Json.Write(new { monday = weekday, tuesday = weekday, wednesday = weekday, thursday = weekday, friday = weekday }), now }, tx);
    await c.ExecuteAsync(SlaPolicyStore.Insert, new PolicyRow
    {
        Name = "MQL", Stage = "MQL", Priority = 100, CalendarId = calendar, FirstTouchAmount = 1, FirstTouchUnit = "hours", DecisionAmount = 4,
        DecisionUnit = "hours", AttemptsMinimum = 6, AttemptsAmount = 10, AttemptsUnit = "days", ReminderPercents = "[50,90]", CreatedAt = now, UpdatedAt = now,
    }, tx);
    var people = new List<long>(leads);
    for (var i = 0; i < leads; i++)
        people.Add(await c.ExecuteScalarAsync<long>("INSERT INTO people (email, stage, stage_changed_at, created_at, updated_at) VALUES (@email, 'MQL', @now, @now, @now) RETURNING id",
            new { email = $"lead{i}@bench.example", now }, tx));
    return (rep, team, people);
});

static async Task<(DatabaseProvider, string, Func<Task>?)> DatabaseFor(string engine, string? admin)
{
    if (admin is null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "tandem-bench-sla-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return (DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dir, "tandem.db")}", () => { Directory.Delete(dir, true); return Task.CompletedTask; });
    }
    var name = "tandem_bench_sla_" + Guid.NewGuid().ToString("N")[..12];
    await using (var c = new NpgsqlConnection(admin)) { await c.OpenAsync(); await c.ExecuteAsync($"CREATE DATABASE {name}"); }
    var cs = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
    return (DatabaseProvider.Postgres, cs, async () =>
    {
        NpgsqlConnection.ClearAllPools();
        await using var c = new NpgsqlConnection(admin);
        await c.OpenAsync();
        await c.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    });
}

namespace Tandem.Bench.Sla
{
    public sealed record Row(string Engine, string Measure, double Value, string Unit);

    public sealed class BenchClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset now = start;
        public override DateTimeOffset GetUtcNow() => now;
        public void Advance(TimeSpan by) => now += by;
    }
}

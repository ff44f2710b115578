// Speed to lead: the time from the capture of a qualifying lead to its committed assignment, at a steady
// arrival rate of new leads over HTTP. Until scoring qualifies leads by itself, each lead is made an MQL through
// the stage API right after capture; routing runs in that same transaction, so the stage response means
// "assigned and committed". Latency is measured from each lead's scheduled arrival (open loop), so a slow
// server cannot hide its queueing by slowing the load down.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Server.Users;

var options = BenchOptions.Parse(args);
var results = new List<RunResult> { await SpeedToLead.RunAsync("sqlite", null, options) };
if (options.Postgres is { } pg) results.Add(await SpeedToLead.RunAsync("postgres", pg, options));

Console.WriteLine();
Console.WriteLine($"Speed to lead (capture -> MQL -> routed -> assigned, committed), {options.Rate} new leads/s for {options.Seconds} s");
Console.WriteLine($"{"engine",-10} {"leads",7} {"rate/s",8} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8} {"server p99",11} {"errors",7} {"p99<=20",8}");
foreach (var r in results)
    Console.WriteLine($"{r.Engine,-10} {r.Leads,7} {r.AchievedRate,8:F1} {r.P50Ms,8:F2} {r.P90Ms,8:F2} {r.P99Ms,8:F2} {r.MaxMs,8:F2} {r.ServerP99Ms,11:F0} {r.Errors,7} {(r.P99Ms <= 20 ? "yes" : "NO"),8}");
foreach (var r in results)
    Console.WriteLine($"{r.Engine}: one lead at a time, capture p50 {r.SoloCaptureP50Ms:F2} ms, MQL + routing + assignment p50 {r.SoloQualifyAndRouteP50Ms:F2} ms");
Directory.CreateDirectory(options.Out);
var path = Path.Combine(options.Out, "speed-to-lead.json");
await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new
{
    name = "speed-to-lead",
    measured = "capture (POST /api/v1/people) to committed assignment (POST /stage MQL answered; routing runs in that transaction)",
    targetP99Ms = 20,
    rate = options.Rate,
    seconds = options.Seconds,
    runs = results,
}, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
Console.WriteLine($"wrote {path}");

sealed record BenchOptions(string? Postgres, string Out, int Rate, int Seconds)
{
    public static BenchOptions Parse(string[] args)
    {
        string? pg = null, output = Path.Combine("bench", "results");
        var quick = false;
        for (var i = 0; i < args.Length; i++)
            switch (args[i])
            {
                case "--postgres": pg = args[++i]; break;
                case "--out": output = args[++i]; break;
                case "--quick": quick = true; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'; use --postgres CONNSTR, --out DIR, --quick.");
            }
        return new BenchOptions(pg, output, 200, quick ? 3 : 30);
    }
}

sealed record RunResult(string Engine, int Leads, double AchievedRate, double P50Ms, double P90Ms, double P99Ms, double MaxMs, double ServerP50Ms,
    double ServerP99Ms, int Errors, int Assigned, double SoloCaptureP50Ms, double SoloQualifyAndRouteP50Ms);

static class SpeedToLead
{
    public static async Task<RunResult> RunAsync(string engine, string? postgres, BenchOptions options)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "tandem-bench", $"speed-to-lead-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDir);
        var app = TandemApp.Build([], new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Tandem:DataDir"] = dataDir,
            ["Tandem:Database:Provider"] = engine,
            ["Tandem:Database:ConnectionString"] = postgres,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await TandemApp.StartAsync(app);
        try
        {
            var (_, key) = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync("bench", [Scopes.Admin]);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(TandemApp.BoundAddresses(app)[0]) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var run = Guid.NewGuid().ToString("N")[..6];
            await SetUpRoutingAsync(app.Services, http, run);

            // Warm up the JIT and connection pool so the measurement sees the steady state; then time one lead at a time,
            // which is the service time of each step without any queueing.
            for (var i = 0; i < 50; i++) await OneLeadAsync(http, $"warm{i}-{run}@bench.example");
            var captureMs = new List<double>();
            var qualifyMs = new List<double>();
            for (var i = 0; i < 100; i++) await OneLeadAsync(http, $"solo{i}-{run}@bench.example", captureMs, qualifyMs);

            var total = options.Rate * options.Seconds;
            var latencies = new double[total];
            var errors = 0;
            var clock = Stopwatch.StartNew();
            var tasks = new Task[total];
            for (var i = 0; i < total; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / options.Rate);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
                var index = i;
                tasks[i] = Task.Run(async () =>
                {
                    bool ok;
                    try { ok = await OneLeadAsync(http, $"lead{index}-{run}@bench.example"); }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException) { ok = false; }
                    latencies[index] = (clock.Elapsed - due).TotalMilliseconds;
                    if (!ok) Interlocked.Increment(ref errors);
                });
            }
            await Task.WhenAll(tasks);
            var elapsed = clock.Elapsed.TotalSeconds;

            var db = app.Services.GetRequiredService<Database>();
            var server = (await db.ReadAsync(c => c.QueryAsync<double>(
                "SELECT owner_assigned_at - created_at FROM people WHERE email LIKE @pattern AND owner_assigned_at IS NOT NULL",
                new { pattern = $"lead%-{run}@bench.example" }))).Order().ToArray();
            Array.Sort(latencies);
            return new RunResult(engine, total, total / elapsed, Pct(latencies, 0.50), Pct(latencies, 0.90), Pct(latencies, 0.99), latencies[^1],
                Pct(server, 0.50), Pct(server, 0.99), errors, server.Length, Pct(captureMs.Order().ToArray(), 0.5), Pct(qualifyMs.Order().ToArray(), 0.5));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<bool> OneLeadAsync(HttpClient http, string email, List<double>? captureMs = null, List<double>? qualifyMs = null)
    {
        var watch = Stopwatch.StartNew();
        using var captured = await http.PostAsJsonAsync("/api/v1/people", new
        {
            email, firstName = "Bench", company = "Bench Co", country = "Germany", region = "EMEA",
            attribution = new { utmSource = "google", utmMedium = "cpc", utmCampaign = "bench" },
        });
        if (!captured.IsSuccessStatusCode) return false;
        var id = (await captured.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        captureMs?.Add(watch.Elapsed.TotalMilliseconds);
        watch.Restart();
        using var qualified = await http.PostAsJsonAsync($"/api/v1/people/{id}/stage", new { stage = "MQL" });
        qualifyMs?.Add(watch.Elapsed.TotalMilliseconds);
        return qualified.IsSuccessStatusCode;
    }

    /// <summary>Three rules (the lead matches the second), two teams of five reps, one rep out of office: a realistic decision.</summary>
    private static async Task SetUpRoutingAsync(IServiceProvider services, HttpClient http, string run)
    {
        var users = services.GetRequiredService<UserStore>();
        var ids = new List<long>();
        for (var i = 0; i < 10; i++) ids.Add((await users.EnsureAsync($"rep{i}-{run}@bench.example", $"Rep {i}", Roles.SalesRep, null)).Id);
        var manager = (await users.EnsureAsync($"manager-{run}@bench.example", "Manager", Roles.SalesManager, null)).Id;
        async Task<long> TeamAsync(string name, IEnumerable<long> members) =>
            (await (await http.PostAsJsonAsync("/api/v1/routing/teams", new { name = $"{name} {run}", memberUserIds = members, managerUserId = manager }))
                .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var amer = await TeamAsync("AMER", ids.Take(5));
        var emea = await TeamAsync("EMEA", ids.Skip(5));
        await http.PostAsJsonAsync($"/api/v1/routing/reps/{ids[5]}/time-off", new { startsAt = DateTimeOffset.UtcNow.AddDays(-1), endsAt = DateTimeOffset.UtcNow.AddDays(7) });
        await http.PostAsJsonAsync("/api/v1/routing/rules", new { name = "AMER", teamId = amer, conditions = new[] { new { field = "region", @operator = "equals", value = "AMER" } } });
        await http.PostAsJsonAsync("/api/v1/routing/rules", new
        {
            name = "EMEA", teamId = emea, conditions = new object[]
            {
                new { field = "region", @operator = "equals", value = "EMEA" },
                new { field = "source.firstChannel", @operator = "in", values = new[] { "Paid Search", "Organic Search" } },
            },
        });
        await http.PostAsJsonAsync("/api/v1/routing/rules", new { name = "Everyone else", teamId = amer });
    }

    private static double Pct(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

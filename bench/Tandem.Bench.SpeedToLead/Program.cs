// Speed to lead: the time from a qualifying lead's arrival to its committed assignment, at a steady arrival rate of
// new leads over HTTP. Each lead is a VP of Data filling in the demo-request form (POST /f/{key}); in that one
// transaction Tandem captures the person, records the submission, scores it (fit grade A, engagement 45 under the
// built-in model), moves the person to MQL, routes them and assigns a rep — so the form's answer means "assigned and
// committed". Latency is measured from each lead's scheduled arrival (open loop), so a slow server cannot hide its
// queueing by slowing the load down. After the run every lead is checked to be an MQL with an owner.
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
Console.WriteLine($"Speed to lead (demo-request form -> captured, scored, MQL, routed, assigned, committed), {options.Rate} new leads/s for {options.Seconds} s");
Console.WriteLine($"{"engine",-10} {"leads",7} {"rate/s",8} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8} {"server p99",11} {"assigned",9} {"errors",7} {"p99<=20",8}");
foreach (var r in results)
    Console.WriteLine($"{r.Engine,-10} {r.Leads,7} {r.AchievedRate,8:F1} {r.P50Ms,8:F2} {r.P90Ms,8:F2} {r.P99Ms,8:F2} {r.MaxMs,8:F2} {r.ServerP99Ms,11:F0} {r.Assigned,9} {r.Errors,7} {(r.P99Ms <= 20 ? "yes" : "NO"),8}");
foreach (var r in results)
    Console.WriteLine($"{r.Engine}: one lead at a time, form to committed assignment p50 {r.SoloP50Ms:F2} ms, p99 {r.SoloP99Ms:F2} ms");
Directory.CreateDirectory(options.Out);
var path = Path.Combine(options.Out, "speed-to-lead.json");
await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new
{
    name = "speed-to-lead",
    measured = "demo-request form submission (POST /f/{key}) to its answer: capture, scoring, MQL, routing and assignment commit in that one transaction",
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
    double ServerP99Ms, int Errors, int Assigned, double SoloP50Ms, double SoloP99Ms);

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
            var form = (await (await http.PostAsJsonAsync("/api/v1/forms", new { name = "demo-request" })).Content.ReadFromJsonAsync<JsonElement>())
                .GetProperty("formKey").GetString()!;
            http.DefaultRequestHeaders.Authorization = null; // the form is public, as on a website

            // Warm up the JIT and connection pool so the measurement sees the steady state; then time one lead at a time,
            // which is the service time of each step without any queueing.
            for (var i = 0; i < 50; i++) await OneLeadAsync(http, form, $"warm{i}-{run}@bench{i}.example");
            var soloMs = new List<double>();
            for (var i = 0; i < 200; i++)
            {
                var watch = Stopwatch.StartNew();
                await OneLeadAsync(http, form, $"solo{i}-{run}@bench{i}.example");
                soloMs.Add(watch.Elapsed.TotalMilliseconds);
            }

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
                    try { ok = await OneLeadAsync(http, form, $"lead{index}-{run}@bench{index}.example"); }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException) { ok = false; }
                    latencies[index] = (clock.Elapsed - due).TotalMilliseconds;
                    if (!ok) Interlocked.Increment(ref errors);
                });
            }
            await Task.WhenAll(tasks);
            var elapsed = clock.Elapsed.TotalSeconds;

            var db = app.Services.GetRequiredService<Database>();
            var server = (await db.ReadAsync(c => c.QueryAsync<double>(
                "SELECT owner_assigned_at - created_at FROM people WHERE email LIKE @pattern AND owner_assigned_at IS NOT NULL AND stage = 'MQL'",
                new { pattern = $"lead%-{run}@bench%.example" }))).Order().ToArray();
            // Per window of 5 s: does latency hold steady or grow as the workspace fills?
            var window = options.Rate * 5;
            var windows = Enumerable.Range(0, (total + window - 1) / window)
                .Select(w => latencies.Skip(w * window).Take(window).Order().ToArray())
                .Select(w => $"{Pct(w, 0.5):F1}/{Pct(w, 0.99):F0}").ToList();
            Console.WriteLine($"{engine}: p50/p99 ms per 5 s window: {string.Join("  ", windows)}");
            Array.Sort(latencies);
            return new RunResult(engine, total, total / elapsed, Pct(latencies, 0.50), Pct(latencies, 0.90), Pct(latencies, 0.99), latencies[^1],
                Pct(server, 0.50), Pct(server, 0.99), errors + (total - server.Length), server.Length, Pct(soloMs.Order().ToArray(), 0.5),
                Pct(soloMs.Order().ToArray(), 0.99));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>A VP of Data at a mid-market company asks for a demo from a paid-search landing page.</summary>
    private static async Task<bool> OneLeadAsync(HttpClient http, string formKey, string email)
    {
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["firstName"] = "Bench", ["title"] = "VP Data", ["company"] = "Bench Co", ["companySize"] = "250",
            ["country"] = "Germany", ["region"] = "EMEA", ["utm_source"] = "google", ["utm_medium"] = "cpc", ["utm_campaign"] = "bench",
        });
        using var answer = await http.PostAsync($"/f/{formKey}", body);
        return answer.IsSuccessStatusCode;
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

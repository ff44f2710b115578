// Web app page times: seeds a demo workspace of N people, signs in over HTTP as a rep and as marketing,
// and times each page a user opens all day (home, inbox, people list, a search, a filtered list, a person, the export).
//   dotnet run -c Release --project bench/Tandem.Bench.Web -- [--postgres CONNSTR] [--out DIR] [--quick]
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Demo;
using Tandem.Server.Hosting;

var quick = args.Contains("--quick");
string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var postgres = Arg("--postgres");
var outDir = Arg("--out") ?? Path.Combine("bench", "results");
var people = quick ? 3_000 : 20_000;
var rounds = quick ? 10 : 30;

var dataDir = Path.Combine(Path.GetTempPath(), "tandem-bench-web-" + Guid.NewGuid().ToString("N")[..8]);
var overrides = new Dictionary<string, string?>
{
    ["urls"] = "http://127.0.0.1:0", ["Tandem:DataDir"] = dataDir, ["Logging:LogLevel:Default"] = "Warning",
    ["Tandem:Database:Provider"] = postgres is null ? "sqlite" : "postgres", ["Tandem:Database:ConnectionString"] = postgres,
};
var app = TandemApp.Build([], overrides);
var seed = Stopwatch.StartNew();
await new Tandem.Server.Storage.Migrator(app.Services.GetRequiredService<Tandem.Server.Storage.Database>()).MigrateAsync();
await DemoWorkspace.EnsureSeededAsync(app.Services, CancellationToken.None, people);
seed.Stop();
await app.StartAsync();
var baseUrl = TandemApp.BoundAddresses(app).First();
Console.WriteLine($"Seeded {people:N0} people in {seed.Elapsed.TotalSeconds:F1} s on {(postgres is null ? "SQLite" : "PostgreSQL")}; {rounds} rounds per page.");

async Task<HttpClient> SignIn(string email)
{
    var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
    var form = await http.GetStringAsync("/signin");
    var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    var response = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        { ["Email"] = email, ["Password"] = DemoUsers.Password, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) }));
    if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Could not sign in as {email}.");
    return http;
}

var rep = await SignIn("riley@lumen.example");
var marketing = await SignIn("maya@lumen.example");
var inbox = await rep.GetStringAsync("/inbox");
var personUrl = Regex.Match(inbox, "href=\"(/people/\\d+)\"").Groups[1].Value;

var pages = new (string Name, HttpClient Client, string Url)[]
{
    ("home (shared numbers)", marketing, "/"),
    ("inbox (rep)", rep, "/inbox"),
    ("people list (marketing, all)", marketing, "/people"),
    ("people list (rep, own)", rep, "/people"),
    ("search 'chen'", marketing, "/people?q=chen"),
    ("filter stage=MQL source=Paid Search", marketing, "/people?stage=MQL&source=Paid%20Search"),
    ("person page", rep, personUrl),
    ("CSV export (all people)", marketing, "/people/export"),
};

var results = new List<object>();
Console.WriteLine($"{"page",-38} {"p50 ms",8} {"p95 ms",8} {"max ms",8} {"bytes",10}");
foreach (var (name, client, url) in pages)
{
    await client.GetAsync(url); // warm-up
    var times = new List<double>();
    long bytes = 0;
    for (var i = 0; i < rounds; i++)
    {
        var sw = Stopwatch.StartNew();
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        sw.Stop();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}");
        bytes = body.Length;
        times.Add(sw.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    double P(double q) => times[(int)Math.Min(times.Count - 1, Math.Ceiling(q * times.Count) - 1)];
    Console.WriteLine($"{name,-38} {P(0.5),8:F1} {P(0.95),8:F1} {times[^1],8:F1} {bytes,10:N0}");
    results.Add(new { page = name, url, p50Ms = P(0.5), p95Ms = P(0.95), maxMs = times[^1], bytes });
}

Directory.CreateDirectory(outDir);
var file = Path.Combine(outDir, "web.json");
await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
{
    benchmark = "web", provider = postgres is null ? "sqlite" : "postgres", people, rounds, seedSeconds = seed.Elapsed.TotalSeconds, pages = results,
}, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"wrote {file}");
await app.StopAsync();

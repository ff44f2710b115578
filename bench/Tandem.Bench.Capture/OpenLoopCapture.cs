using Tandem.Bench.Kit;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Tandem.Bench.Capture;

/// <summary>
/// Person capture (<c>POST /api/v1/people</c>) at a fixed arrival rate, open loop: request i is due at
/// start + i / rate whether or not earlier ones have answered, and its latency is measured from that
/// due time. A slow server therefore shows up as queueing in the latency instead of quietly lowering
/// the rate (coordinated omission).
/// </summary>
public static class OpenLoopCapture
{
    public sealed record Outcome(int Sent, int Created, int Updated, int Failed, double AchievedPerSecond,
        Percentiles FromScheduleMs, Percentiles FromSendMs, double WorstLagMs);

    private static readonly string[] Sources = ["google", "linkedin", "newsletter", "g2", "webinar", "direct"];
    private static readonly string[] Titles = ["VP Marketing", "Head of Sales", "Marketing Ops Manager", "SDR Lead", "CMO", "Revenue Operations"];

    /// <param name="firstLead">Number of the first lead, so separate runs capture different people.</param>
    public static async Task<Outcome> RunAsync(string baseUrl, string key, double perSecond, TimeSpan duration, double repeatShare, int firstLead = 0)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = TimeSpan.FromSeconds(60),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var random = new Random(42);
        var total = (int)(perSecond * duration.TotalSeconds);
        var fromSchedule = new ConcurrentBag<double>();
        var fromSend = new ConcurrentBag<double>();
        int created = 0, updated = 0, failed = 0;
        string? firstError = null;
        var inFlight = new List<Task>(total);
        var worstLag = 0.0;
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            while (clock.Elapsed < due)
            {
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(2)) await Task.Delay(wait - TimeSpan.FromMilliseconds(1));
                else Thread.SpinWait(50);
            }
            worstLag = Math.Max(worstLag, (clock.Elapsed - due).TotalMilliseconds);
            var n = i > 20 && random.NextDouble() < repeatShare ? random.Next(i) : i; // a known lead coming back
            var person = Lead(firstLead + n, random);
            inFlight.Add(Task.Run(async () =>
            {
                var sent = clock.Elapsed;
                try
                {
                    using var response = await http.PostAsJsonAsync("/api/v1/people", person);
                    var body = await response.Content.ReadAsStringAsync();
                    var done = clock.Elapsed;
                    if ((int)response.StatusCode == 201) Interlocked.Increment(ref created);
                    else if ((int)response.StatusCode == 200) Interlocked.Increment(ref updated);
                    else { Interlocked.Increment(ref failed); firstError ??= $"{(int)response.StatusCode}: {body}"; return; }
                    fromSchedule.Add((done - due).TotalMilliseconds);
                    fromSend.Add((done - sent).TotalMilliseconds);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failed);
                    firstError ??= e.Message;
                }
            }));
        }
        await Task.WhenAll(inFlight);
        var elapsed = clock.Elapsed.TotalSeconds;
        if (failed > 0) Console.Error.WriteLine($"{failed} captures failed; the first: {firstError}");
        return new Outcome(total, created, updated, failed, total / elapsed, new Percentiles(fromSchedule), new Percentiles(fromSend), worstLag);
    }

    /// <summary>A lead as a website form or marketing tool would send it: contact, company and the campaign touch.</summary>
    private static object Lead(int n, Random random) => new
    {
        email = $"lead{n}@prospect{n % 700}.example",
        firstName = $"First{n}",
        lastName = $"Last{n}",
        company = $"Prospect {n % 700}",
        title = Titles[n % Titles.Length],
        country = n % 3 == 0 ? "DE" : "US",
        attribution = new
        {
            utmSource = Sources[random.Next(Sources.Length)],
            utmMedium = n % 2 == 0 ? "cpc" : "email",
            utmCampaign = $"campaign-{n % 12}",
            landingPage = "https://lumen.example/demo",
        },
    };
}

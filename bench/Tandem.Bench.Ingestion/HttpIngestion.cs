using Tandem.Bench.Kit;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Tandem.Bench.Ingestion;

/// <summary>
/// Several concurrent senders posting /v1/batch to a Tandem server as fast as it answers (closed loop,
/// like Segment clients flushing queued events), for a fixed time after a warm-up.
/// </summary>
public static class HttpIngestion
{
    public sealed record Outcome(long Events, long Stored, long Batches, long Failures, TimeSpan Elapsed, Percentiles BatchLatencyMs)
    {
        public double EventsPerSecond => Events / Elapsed.TotalSeconds;
    }

    public static async Task<Outcome> RunAsync(string baseUrl, string writeKey, int senders, int batchSize, TimeSpan warmUp,
        TimeSpan duration, int knownUsers, double knownShare)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = senders * 2, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = TimeSpan.FromSeconds(120),
        };
        // Segment's libraries send the write key as the HTTP Basic user name with an empty password.
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));

        var measuring = new TaskCompletionSource();
        var stopAt = DateTime.MaxValue;
        long events = 0, stored = 0, batches = 0, failures = 0;
        var latencies = new List<double>[senders];
        string? firstError = null;

        async Task SendAsync(int sender)
        {
            var traffic = new SegmentTraffic(sender, knownUsers, knownShare);
            var mine = latencies[sender] = [];
            while (DateTime.UtcNow < stopAt)
            {
                var counted = measuring.Task.IsCompleted;
                var body = new ReadOnlyMemoryContent(traffic.NextBatch(batchSize, DateTimeOffset.UtcNow));
                body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("/v1/batch", body);
                var text = await response.Content.ReadAsStringAsync();
                if (!counted) continue;
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                    firstError ??= $"{(int)response.StatusCode}: {text}";
                    continue;
                }
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                using var answer = JsonDocument.Parse(text);
                Interlocked.Add(ref stored, answer.RootElement.GetProperty("stored").GetInt64());
                Interlocked.Add(ref events, batchSize);
                Interlocked.Increment(ref batches);
            }
        }

        stopAt = DateTime.UtcNow + warmUp + duration + TimeSpan.FromDays(1); // set for real once measuring starts
        var workers = Enumerable.Range(0, senders).Select(s => Task.Run(() => SendAsync(s))).ToArray();
        await Task.Delay(warmUp);
        var clock = Stopwatch.StartNew();
        stopAt = DateTime.UtcNow + duration;
        measuring.SetResult();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed; // includes the last in-flight batches, which are counted too
        if (failures > 0) Console.Error.WriteLine($"{failures} batches failed; the first: {firstError}");
        return new Outcome(events, stored, batches, failures, elapsed, new Percentiles(latencies.SelectMany(l => l ?? [])));
    }
}

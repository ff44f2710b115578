using Tandem.Bench.Capture;
using Tandem.Bench.Kit;
using Tandem.Server.Security;

// Person capture through POST /api/v1/people: p50/p99 latency at a fixed arrival rate (open loop),
// against a Tandem server running in its own process.
var arguments = BenchArguments.Parse(args);
const double perSecond = 200;
const double repeatShare = 0.15;
var duration = TimeSpan.FromSeconds(arguments.Quick ? 3 : 30);
var warmUp = TimeSpan.FromSeconds(arguments.Quick ? 1 : 3);

var report = new BenchReport("capture", arguments);
report.Setting("ratePerSecond", perSecond);
report.Setting("seconds", duration.TotalSeconds);
report.Setting("repeatLeadShare", repeatShare);

foreach (var target in arguments.Targets())
{
    Console.WriteLine($"[capture] {target.Name}: {perSecond:0} leads/s for {duration.TotalSeconds:0}s, open loop…");
    await using var server = await ServerProcess.StartAsync(target, "capture");
    var key = await server.CreateKeyAsync(Scopes.Write);
    await OpenLoopCapture.RunAsync(server.BaseUrl, key, perSecond, warmUp, repeatShare, firstLead: 1_000_000); // JIT, pools and caches warm
    var run = await OpenLoopCapture.RunAsync(server.BaseUrl, key, perSecond, duration, repeatShare);
    var p99 = run.FromScheduleMs.At(99);
    report.Row(new()
    {
        ["engine"] = target.Name,
        ["requests"] = run.Sent,
        ["created"] = run.Created,
        ["updated"] = run.Updated,
        ["failed"] = run.Failed,
        ["achieved/s"] = Math.Round(run.AchievedPerSecond, 1),
        ["p50 ms"] = Math.Round(run.FromScheduleMs.At(50), 2),
        ["p90 ms"] = Math.Round(run.FromScheduleMs.At(90), 2),
        ["p99 ms"] = Math.Round(p99, 2),
        ["max ms"] = Math.Round(run.FromScheduleMs.Max, 2),
        ["p99 from send ms"] = Math.Round(run.FromSendMs.At(99), 2),
        ["sender lag ms"] = Math.Round(run.WorstLagMs, 2),
        ["server MiB"] = Math.Round(server.ResidentMiB),
    });
    report.Target(target.Name, "capture p99 ms at 200/s", "≤ 20 (speed-to-lead budget)", p99, p99 <= 20 && run.Failed == 0);
}
await report.WriteAsync();

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Operations;

/// <summary>Tandem's meter, read in-process as a collector would read it; OpenTelemetry exports only when told where.</summary>
public sealed class TelemetryTests
{
    /// <summary>Sums of every long measurement this server's meters made, by instrument and tags.</summary>
    private sealed class Readings : IDisposable
    {
        private readonly MeterListener listener = new();
        public ConcurrentDictionary<string, long> Sums { get; } = new();
        public ConcurrentDictionary<string, long> Last { get; } = new();

        public Readings(IMeterFactory scope)
        {
            listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Scope == scope) l.EnableMeasurementEvents(instrument); };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var key = instrument.Name + string.Concat(tags.ToArray().OrderBy(t => t.Key).Select(t => $"|{t.Key}={t.Value}"));
                Sums.AddOrUpdate(key, value, (_, sum) => sum + value);
                Last[key] = value;
            });
            listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => Sums.AddOrUpdate(instrument.Name, 1, (_, n) => n + 1));
            listener.Start();
        }

        public void Collect() => listener.RecordObservableInstruments();

        public void Dispose() => listener.Dispose();
    }

    [Fact]
    public async Task The_meter_counts_events_ingested_requests_and_deliveries_and_reports_queue_depths()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await Notifications.WebhookReceiver.StartAsync();
        await using var server = await TandemServer.StartAsync(settings: new Dictionary<string, string?> { ["Tandem:Notifications:Deliver"] = "false" });
        using var readings = new Readings(server.Services.GetRequiredService<IMeterFactory>());
        using var tracker = server.Client();
        tracker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(await server.CreateKeyAsync("ingest") + ":")));
        var batch = Enumerable.Range(0, 3).Select(i => new { type = "track", userId = "u1", @event = "Viewed Pricing", messageId = $"m-{i}" }).ToArray();

        (await tracker.PostAsJsonAsync("/v1/batch", new { batch }, ct)).EnsureSuccessStatusCode();
        (await tracker.PostAsJsonAsync("/v1/batch", new { batch = batch[..1] }, ct)).EnsureSuccessStatusCode(); // a retried delivery: stored before
        using (var api = await server.AdminClientAsync())
            (await api.PostAsJsonAsync("/api/v1/webhooks", new { name = "crm", url = receiver.Url, events = new[] { "test.ping" } }, ct)).EnsureSuccessStatusCode();
        await server.Database.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO notifications (event, payload, created_at) VALUES ('test.ping', '{}', 1), ('test.ping', '{}', 2)", transaction: tx), ct);
        readings.Collect();

        Assert.Equal(3, readings.Sums.GetValueOrDefault("tandem.events.ingested"));
        // The gauge reports what waits in the outbox: the two rows above, and anything the server's own work queued meanwhile.
        var waiting = (await server.Database.ReadAsync(c => c.QueryAsync<string>("SELECT event FROM notifications WHERE processed_at IS NULL"), ct)).ToList();
        Assert.Equal(2, waiting.Count(e => e == "test.ping"));
        Assert.Equal(waiting.Count, readings.Last.GetValueOrDefault("tandem.queue.depth|queue=notifications"));
        Assert.Equal(0, readings.Last.GetValueOrDefault("tandem.queue.depth|queue=deliveries", -1));
        Assert.True(readings.Sums.GetValueOrDefault("http.server.request.duration") >= 2, "ASP.NET Core measured the requests");

        // The server's delivery step, as its loop (off here) would run it: two webhooks delivered.
        var dispatcher = server.Services.GetRequiredService<Tandem.Server.Notifications.NotificationDispatcher>();
        while (await dispatcher.RunOnceAsync(ct) > 0) { }
        Assert.Equal(2, readings.Sums.GetValueOrDefault("tandem.notifications.deliveries|channel=webhook|outcome=delivered"));
    }

    [Fact]
    public async Task Nothing_is_exported_unless_an_otlp_endpoint_is_configured_and_json_logs_come_on_request()
    {
        await using (var plain = await TandemServer.StartAsync())
        {
            Assert.Null(plain.Services.GetService<MeterProvider>());
            Assert.NotEqual(ConsoleFormatterNames.Json, plain.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        }
        await using var configured = await TandemServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Tandem:Telemetry:OtlpEndpoint"] = "http://127.0.0.1:4317",
            ["Tandem:Telemetry:JsonLogs"] = "true",
        });
        Assert.NotNull(configured.Services.GetService<MeterProvider>());
        Assert.Equal(ConsoleFormatterNames.Json, configured.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Operations.Telemetry;

/// <summary>
/// Tandem's own measurements, on the "Tandem" meter: tracking events ingested, SLA breaches, emails sent, webhook and
/// email deliveries, and the depth of each work queue. One instance per server (from its meter factory), so two servers
/// in one process — as in the tests — are measured apart. OpenTelemetry exports them when an endpoint is configured.
/// </summary>
internal sealed class TandemMetrics
{
    public const string MeterName = "Tandem";

    private readonly Counter<long> eventsIngested;
    private readonly Counter<long> slaBreaches;
    private readonly Counter<long> emailsSent;
    private readonly Counter<long> deliveries;
    private readonly QueueDepths depths;

    public TandemMetrics(IMeterFactory meters, Database db)
    {
        var meter = meters.Create(MeterName);
        depths = new QueueDepths(db);
        eventsIngested = meter.CreateCounter<long>("tandem.events.ingested", "{event}", "Tracking events stored (Segment-compatible /v1 API), duplicates excluded.");
        slaBreaches = meter.CreateCounter<long>("tandem.sla.breaches", "{breach}", "Service-level breaches recorded, by kind.");
        emailsSent = meter.CreateCounter<long>("tandem.emails.sent", "{email}", "Emails handed to the SMTP server: campaign and nurture sends, and notification emails.");
        deliveries = meter.CreateCounter<long>("tandem.notifications.deliveries", "{attempt}", "Notification delivery attempts, by channel and outcome.");
        meter.CreateObservableGauge("tandem.queue.depth", depths.Read, "{item}",
            "Work waiting: notifications not yet fanned out, deliveries and emails pending, import jobs queued or running.");
    }

    public void EventsIngested(int count) { if (count > 0) eventsIngested.Add(count); }

    public void SlaBreached(string kind) => slaBreaches.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void EmailSent(string kind) => emailsSent.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Delivered(string channel, bool ok) =>
        deliveries.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", ok ? "delivered" : "failed"));

    /// <summary>Queue depths are read from the database at most once a second, however often a collector asks.</summary>
    private sealed class QueueDepths(Database db)
    {
        private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);
        private readonly Lock gate = new();
        private Measurement<long>[] last = [];
        private long readAt = long.MinValue;

        public IEnumerable<Measurement<long>> Read()
        {
            lock (gate)
            {
                if (readAt != long.MinValue && Stopwatch.GetElapsedTime(readAt) < Fresh) return last;
                // Observable instruments are read synchronously by the exporter's own thread; a failed read reports nothing rather than stale numbers.
                try
                {
                    var row = db.ReadAsync(c => c.QuerySingleAsync<(long Notifications, long Deliveries, long Emails, long Imports)>(
                        "SELECT (SELECT COUNT(*) FROM notifications WHERE processed_at IS NULL), " +
                        "(SELECT COUNT(*) FROM notification_deliveries WHERE status = 'pending'), " +
                        "(SELECT COUNT(*) FROM email_sends WHERE status IN ('queued', 'sending')), " +
                        "(SELECT COUNT(*) FROM import_jobs WHERE status IN ('queued', 'running'))")).GetAwaiter().GetResult();
                    last =
                    [
                        new(row.Notifications, new KeyValuePair<string, object?>("queue", "notifications")),
                        new(row.Deliveries, new KeyValuePair<string, object?>("queue", "deliveries")),
                        new(row.Emails, new KeyValuePair<string, object?>("queue", "emails")),
                        new(row.Imports, new KeyValuePair<string, object?>("queue", "imports")),
                    ];
                }
                catch (System.Data.Common.DbException)
                {
                    last = [];
                }
                readAt = Stopwatch.GetTimestamp();
                return last;
            }
        }
    }
}

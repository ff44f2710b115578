using System.Diagnostics;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Notifications;

/// <summary>
/// The background loop that delivers the outbox: fan new notifications out to destinations, claim what is due,
/// send it (webhooks and email, in parallel) and record each attempt, retrying failures with exponential backoff.
/// Idle checks are reads; it writes only when there is work.
/// </summary>
internal sealed class NotificationDispatcher(Database db, NotificationOptions options, WebhookSender webhooks, EmailSender email, TimeProvider clock,
    ILogger<NotificationDispatcher> log, Operations.Telemetry.TandemMetrics metrics) : BackgroundService
{
    /// <summary>This server's name on the claims it holds.</summary>
    public string ServerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!options.Deliver) return;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (await RunOnceAsync(stop) == 0) await Task.Delay(options.PollMilliseconds, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                log.LogWarning(e, "Notification delivery failed; retrying shortly.");
                try { await Task.Delay(Math.Max(options.PollMilliseconds, 1000), stop); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <returns>How many notifications and deliveries were handled.</returns>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var work = await db.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE processed_at IS NULL LIMIT 1) a) + " +
            "(SELECT COUNT(*) FROM (SELECT 1 FROM notification_deliveries WHERE status = 'pending' AND next_attempt_at <= @now " +
            "AND (claimed_until IS NULL OR claimed_until < @now) LIMIT 1) b)", new { now }), ct);
        if (work == 0) return 0;

        var fannedOut = await db.WriteAsync((c, tx) => OutboxFanOut.RunAsync(c, tx, options.Smtp.IsConfigured, now), ct);
        var lease = now + (options.TimeoutSeconds + 30) * 1000L;
        var claimed = await db.WriteAsync((c, tx) => DeliveryClaims.ClaimAsync(c, tx, ServerId, clock.GetUtcNow().ToUnixTimeMilliseconds(), lease, 32), ct);
        await Task.WhenAll(claimed.Select(d => DeliverAsync(d, ct)));
        return fannedOut + claimed.Count;
    }

    private async Task DeliverAsync(ClaimedDelivery d, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        int? status = null;
        string? error;
        try
        {
            if (d.Channel == OutboxFanOut.Email) error = options.Smtp.IsConfigured ? await email.SendAsync(d, ct) : "SMTP is not configured.";
            else (status, error) = await webhooks.SendAsync(d, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A notification that cannot even be prepared (say, a malformed payload) is logged as a failed attempt,
            // not left claimed and retried forever.
            error = $"Could not send: {e.Message}";
        }
        var at = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.WriteAsync((c, tx) => DeliveryClaims.RecordAsync(c, tx, d, ServerId, at, started.ElapsedMilliseconds, status, error, options), ct);
        metrics.Delivered(d.Channel, error is null);
        if (error is null && d.Channel == OutboxFanOut.Email) metrics.EmailSent("notification");
        // The recipient (an email address or a webhook URL) stays out of the log; the delivery log names it.
        if (error is not null) log.LogInformation("Delivery {Id} ({Channel}) attempt {Attempt} failed: {Error}", d.Id, d.Channel, d.Attempts + 1, Hosting.LogText.Redact(error));
    }
}

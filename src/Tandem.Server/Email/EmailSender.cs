using Tandem.Domain.Lifecycle;
using Tandem.Server.Activities;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Email;

/// <summary>
/// Delivers queued email: each round marks expired claims 'unknown', claims what is due (within the rate limits),
/// commits the claim, hands each message to the relay over one connection, and records each outcome — sent (with an
/// <c>email_sent</c> fact on the person's timeline, which scores nothing), refused for good (failed; a rejected
/// recipient is a hard bounce and suppressed), or refused for now (queued again with exponential backoff).
/// </summary>
internal sealed class EmailSender(Database db, Consequences consequences, PersonEvents events, EmailOptions options, IServiceProvider services,
    TimeProvider clock, ILogger<EmailSender> log, Operations.Telemetry.TandemMetrics metrics)
{
    private readonly Lock gate = new();
    private readonly Queue<long> lastSecond = new();
    private readonly Dictionary<string, Queue<long>> lastMinuteByDomain = new(StringComparer.Ordinal);

    /// <summary>This server's name on the claims it holds.</summary>
    public string ServerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <returns>How many sends were claimed or marked unknown.</returns>
    public async Task<int> RunOnceAsync(long now, CancellationToken ct = default)
    {
        var expired = await db.WriteAsync((c, tx) => EmailSendClaims.ExpireAsync(c, tx, now), ct);
        foreach (var (id, by) in expired)
            log.LogWarning("Email send {SendId} was still 'sending' when {Server}'s claim ran out; its outcome is unknown and it will not be sent again.", id, by);
        if (!options.Smtp.IsConfigured) return expired.Count;

        var batch = Math.Min(options.Batch, AllowedThisSecond(now));
        if (batch <= 0) return expired.Count;
        var claimed = await db.WriteAsync((c, tx) => EmailSendClaims.ClaimAsync(c, tx, ServerId, now, now + options.LeaseSeconds * 1000L, batch), ct);
        if (claimed.Count == 0) return expired.Count;

        var links = services.GetRequiredService<EmailLinks>();
        await using var smtp = new SmtpSession(options.Smtp);
        foreach (var send in claimed)
        {
            if (DomainWait(send, now) is { } retryAt)
            {
                await db.WriteAsync((c, tx) => EmailSendClaims.ReleaseAsync(c, tx, send.Id, ServerId, retryAt), ct);
                continue;
            }
            var outcome = await smtp.SendAsync(EmailMessages.Build(send, links, clock.GetUtcNow()), ct);
            await RecordAsync(send, outcome, ct);
        }
        return expired.Count + claimed.Count;
    }

    private async Task RecordAsync(ClaimedSend send, SmtpOutcome outcome, CancellationToken ct)
    {
        var at = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (outcome.Sent)
        {
            await db.WriteAsync(async (c, tx) =>
            {
                // No ActivitiesAppended: sending is what Tandem did, not what the person did, so it must not score.
                if (await EmailSendClaims.MarkSentAsync(c, tx, send.Id, ServerId, at))
                    await ActivityStore.AppendAsync(c, tx, Activity(send, "email_sent", at, new { subject = send.Subject }));
            }, ct);
            metrics.EmailSent("email");
            return;
        }

        var error = outcome.Error ?? "The SMTP server refused the email.";
        if (outcome.Permanent)
        {
            log.LogInformation("Email send {SendId} was refused for good: {Error}", send.Id, Hosting.LogText.Redact(error));
            await consequences.WriteAsync(async (c, tx) =>
            {
                if (!await EmailSendClaims.MarkFailedAsync(c, tx, send.Id, ServerId, at, error, outcome.RecipientRejected) || !outcome.RecipientRejected) return;
                var address = MimeKit.MailboxAddress.TryParse(send.ToAddress, out var mailbox) ? mailbox.Address : send.ToAddress;
                await EmailSuppressions.SuppressAsync(c, tx, address, SuppressionReasons.HardBounce, error, send.PersonId, send.Id, at);
                await ActivityStore.AppendAsync(c, tx, Activity(send, "email_bounced", at, new { kind = "hard", reason = error }));
                var actor = Actor.System("email");
                events.Raise(tx, new ActivitiesAppended([send.PersonId], actor));
                events.Raise(tx, new EmailEventRecorded(send.PersonId, EmailEventKind.Bounced, send.Id, send.ProgramId, send.EnrollmentId, send.StepKey, actor));
            }, ct);
            return;
        }

        var giveUp = send.Attempts >= options.MaxAttempts;
        var retryAt = at + (long)options.Backoff(send.Attempts).TotalMilliseconds;
        log.LogInformation("Email send {SendId} attempt {Attempt} failed for now ({Error}); {Next}.", send.Id, send.Attempts, Hosting.LogText.Redact(error),
            giveUp ? "giving up" : $"retrying at {DateTimeOffset.FromUnixTimeMilliseconds(retryAt):u}");
        await db.WriteAsync((c, tx) => EmailSendClaims.RetryOrFailAsync(c, tx, send.Id, ServerId, giveUp, retryAt,
            giveUp ? $"Gave up after {send.Attempts} attempts: {error}" : error), ct);
    }

    private static NewActivity Activity(ClaimedSend send, string type, long at, object extra)
    {
        var properties = new Dictionary<string, object?>
        {
            ["sendId"] = send.Id, ["templateId"] = send.TemplateId, ["programId"] = send.ProgramId, ["stepKey"] = send.StepKey,
        };
        foreach (var p in extra.GetType().GetProperties()) properties[p.Name] = p.GetValue(extra);
        // One fact per send and kind, so a retried record never doubles it.
        return new NewActivity(send.PersonId, null, type, at, at, ActivitySources.System, Json.Write(properties), $"{type}:{send.Id}", "email");
    }

    /// <summary>How many more emails this server may hand over in the second ending now (MaxPerSecond).</summary>
    private int AllowedThisSecond(long now)
    {
        if (options.MaxPerSecond <= 0) return int.MaxValue;
        lock (gate)
        {
            while (lastSecond.Count > 0 && lastSecond.Peek() <= now - 1000) lastSecond.Dequeue();
            var allowed = options.MaxPerSecond - lastSecond.Count;
            for (var i = 0; i < Math.Min(allowed, options.Batch); i++) lastSecond.Enqueue(now);
            return allowed;
        }
    }

    /// <summary>When this send's recipient domain has had its share this minute (MaxPerDomainPerMinute), the instant it may go; else null.</summary>
    private long? DomainWait(ClaimedSend send, long now)
    {
        if (options.MaxPerDomainPerMinute <= 0) return null;
        var domain = EmailMessages.DomainOf(send.ToAddress);
        lock (gate)
        {
            if (!lastMinuteByDomain.TryGetValue(domain, out var times)) lastMinuteByDomain[domain] = times = new Queue<long>();
            while (times.Count > 0 && times.Peek() <= now - 60_000) times.Dequeue();
            if (times.Count >= options.MaxPerDomainPerMinute) return times.Peek() + 60_000;
            times.Enqueue(now);
            return null;
        }
    }
}

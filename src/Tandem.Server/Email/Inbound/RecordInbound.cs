using System.Data.Common;
using Dapper;
using Tandem.Domain.Email.Inbound;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Activities;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Email.Inbound;

/// <summary>One event as recorded: its row, what it turned out to be, and whether it was a redelivery.</summary>
internal sealed record RecordedInbound(long Id, string Kind, long? SendId, long? PersonId, bool Duplicate);

/// <summary>
/// Records what inbound messages and provider events tell us, and carries out what each means, all in one transaction
/// through <see cref="Consequences"/>: the event row, then for a matched send its columns, the suppression, the
/// activity, and <see cref="EmailEventRecorded"/> — programs stop on a reply, bounce or complaint, the owner hears of a
/// reply. A redelivered event (same source and provider id) finds its row already there and changes nothing; the same
/// outcome reported twice by two routes (a DSN and a SendGrid bounce) changes the send once.
/// </summary>
internal sealed class RecordInbound(Consequences consequences, PersonEvents events, TimeProvider clock)
{
    /// <summary>How much of what arrived is kept with the event, for a person to check.</summary>
    public const int ExcerptChars = 4000;

    public Task<IReadOnlyList<RecordedInbound>> RecordAsync(string source, IReadOnlyList<InboundFinding> findings, string raw, CancellationToken ct) =>
        consequences.WriteAsync<IReadOnlyList<RecordedInbound>>(async (c, tx) =>
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var excerpt = Text(raw.Length <= ExcerptChars ? raw : raw[..ExcerptChars]);
            var recorded = new List<RecordedInbound>();
            foreach (var finding in findings)
                recorded.Add(await RecordOneAsync(c, tx, source, finding, excerpt, now));
            return recorded;
        }, ct);

    private async Task<RecordedInbound> RecordOneAsync(DbConnection c, DbTransaction tx, string source, InboundFinding f, string excerpt, long now)
    {
        var isAnswer = f.Kind is InboundKinds.Reply or InboundKinds.AutoReply;
        var send = InboundKinds.StandsAlone(f.Kind) ? null : await SendMatcher.FindAsync(c, tx, f.Clues, byRecipient: !isAnswer);
        var kind = send is null && !InboundKinds.StandsAlone(f.Kind) ? InboundKinds.Unmatched : f.Kind;
        var detail = kind == f.Kind ? f.Detail : $"{f.Kind.Replace('_', ' ')} matching no email Tandem sent: {f.Detail}";
        var person = send is null ? null : await PersonStore.FindLiveAsync(c, tx, send.PersonId);
        var address = f.Address is { Length: > 0 } a ? EmailSuppressions.Normalize(a) : send is null ? null : EmailSuppressions.Normalize(send.ToAddress);

        var id = await c.QuerySingleOrDefaultAsync<long?>(
            "INSERT INTO email_inbound_events (source, kind, send_id, person_id, address, detail, provider_event_id, raw_excerpt, received_at) " +
            "VALUES (@source, @kind, @sendId, @personId, @address, @detail, @providerEventId, @excerpt, @now) " +
            "ON CONFLICT (source, provider_event_id) WHERE provider_event_id IS NOT NULL DO NOTHING RETURNING id",
            new { source, kind, sendId = send?.Id, personId = person?.Id, address, detail = Text(detail), providerEventId = f.ProviderEventId, excerpt, now }, tx);
        if (id is null)
        {
            var first = await c.QuerySingleAsync<(long Id, string Kind, long? SendId, long? PersonId)>(
                "SELECT id, kind, send_id, person_id FROM email_inbound_events WHERE source = @source AND provider_event_id = @providerEventId",
                new { source, providerEventId = f.ProviderEventId }, tx);
            return new(first.Id, first.Kind, first.SendId, first.PersonId, Duplicate: true);
        }
        if (send is not null && person is not null)
            await ApplyAsync(c, tx, new(source, id.Value, kind, detail, address ?? send.ToAddress, send, person.Id, f, now));
        return new(id.Value, kind, send?.Id, person?.Id, Duplicate: false);
    }

    private sealed record Effect(string Source, long EventId, string Kind, string Detail, string Address, MatchedSend Send, long PersonId,
        InboundFinding Finding, long Now)
    {
        public string SourceText => $"{InboundSources.Name(Source)}: {Detail}";
        public Actor Actor => Actor.System(InboundSources.Name(Source));
    }

    private async Task ApplyAsync(DbConnection c, DbTransaction tx, Effect e)
    {
        switch (e.Kind)
        {
            case InboundKinds.HardBounce:
                await EmailSuppressions.SuppressAsync(c, tx, e.Address, SuppressionReasons.HardBounce, e.SourceText, e.PersonId, e.Send.Id, e.Now);
                if (await MarkAsync(c, tx, "bounced_at = @now, bounce_kind = 'hard'", "(bounce_kind IS NULL OR bounce_kind <> 'hard')", e))
                    await ActivityAndEventAsync(c, tx, e, "email_bounced", EmailEventKind.Bounced);
                break;
            case InboundKinds.SoftBounce:
                if (await MarkAsync(c, tx, "bounced_at = @now, bounce_kind = 'soft'", "bounce_kind IS NULL", e))
                {
                    await ActivityAndEventAsync(c, tx, e, "email_soft_bounced", EmailEventKind.SoftBounced);
                    await SuppressAfterSoftBouncesAsync(c, tx, e);
                }
                break;
            case InboundKinds.Complaint:
                await EmailSuppressions.SuppressAsync(c, tx, e.Address, SuppressionReasons.Complaint, e.SourceText, e.PersonId, e.Send.Id, e.Now);
                if (await MarkAsync(c, tx, "complained_at = @now", "complained_at IS NULL", e))
                    await ActivityAndEventAsync(c, tx, e, "email_complained", EmailEventKind.Complained);
                break;
            case InboundKinds.Unsubscribed:
                await EmailSuppressions.SuppressAsync(c, tx, e.Address, SuppressionReasons.Unsubscribed, e.SourceText, e.PersonId, e.Send.Id, e.Now);
                if (await MarkAsync(c, tx, "unsubscribed_at = @now", "unsubscribed_at IS NULL", e))
                    await ActivityAndEventAsync(c, tx, e, "email_unsubscribed", EmailEventKind.Unsubscribed);
                break;
            case InboundKinds.Delivered:
                await MarkAsync(c, tx, "delivered_at = @now", "delivered_at IS NULL", e);
                break;
            case InboundKinds.Reply:
                // Every reply is an activity and tells the owner; the send keeps the first.
                await MarkAsync(c, tx, "replied_at = @now", "replied_at IS NULL", e);
                await ActivityAndEventAsync(c, tx, e, "email_replied", EmailEventKind.Replied);
                break;
            case InboundKinds.AutoReply:
                await ActivityAndEventAsync(c, tx, e, "email_auto_replied", EmailEventKind.AutoReplied);
                break;
        }
    }

    /// <summary>Sets the send's columns unless it already carries this outcome; true when it changed.</summary>
    private static async Task<bool> MarkAsync(DbConnection c, DbTransaction tx, string set, string unlessAlready, Effect e) =>
        await c.ExecuteAsync($"UPDATE email_sends SET {set} WHERE id = @id AND {unlessAlready}", new { id = e.Send.Id, now = e.Now }, tx) > 0;

    private async Task ActivityAndEventAsync(DbConnection c, DbTransaction tx, Effect e, string type, EmailEventKind kind)
    {
        var occurred = e.Finding.OccurredAt?.ToUnixTimeMilliseconds() is { } at && at <= e.Now ? at : e.Now;
        var reply = e.Finding.Reply;
        var properties = Json.Write(new
        {
            sendId = e.Send.Id, programId = e.Send.ProgramId, stepKey = e.Send.StepKey, templateId = e.Send.TemplateId,
            emailSubject = e.Send.Subject, inboundEventId = e.EventId, source = e.Source, detail = e.Detail,
            from = reply?.From, subject = reply?.Subject, text = reply is null ? null : Text(reply.Text),
        });
        await ActivityStore.AppendAsync(c, tx, new NewActivity(e.PersonId, null, type, occurred, e.Now, ActivitySources.System, properties,
            MessageId: $"email-inbound:{e.EventId}", Channel: "email"));
        events.Raise(tx, new ActivitiesAppended([e.PersonId], e.Actor));
        events.Raise(tx, new EmailEventRecorded(e.PersonId, kind, e.Send.Id, e.Send.ProgramId, e.Send.EnrollmentId, e.Send.StepKey, e.Actor));
    }

    /// <summary>What arrives is anyone's bytes; PostgreSQL text cannot hold NUL, so it is dropped before storing.</summary>
    private static string Text(string value) => value.Contains('\0') ? value.Replace("\0", "") : value;

    /// <summary>The address's last emails all soft-bounced with no sign of life: suppressed as a hard bounce (see SoftBounceRule).</summary>
    private static async Task SuppressAfterSoftBouncesAsync(DbConnection c, DbTransaction tx, Effect e)
    {
        var recent = await c.QueryAsync<(string? BounceKind, long? Opened, long? Clicked, long? Replied)>(
            "SELECT bounce_kind, first_opened_at, first_clicked_at, replied_at FROM email_sends WHERE lower(to_address) = @address AND status IN ('sent', 'unknown') " +
            "ORDER BY id DESC LIMIT @limit", new { address = e.Address, limit = SoftBounceRule.InARow }, tx);
        var sent = recent.Select(r => new SoftBounceRule.SentEmail(r.BounceKind == "soft", r.BounceKind == "hard",
            r.Opened is not null || r.Clicked is not null || r.Replied is not null));
        if (SoftBounceRule.Suppresses(sent))
            await EmailSuppressions.SuppressAsync(c, tx, e.Address, SuppressionReasons.HardBounce,
                $"{SoftBounceRule.InARow} soft bounces in a row, the last {e.SourceText}", e.PersonId, e.Send.Id, e.Now);
    }
}

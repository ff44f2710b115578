using Dapper;
using Tandem.Domain.Email;
using Tandem.Server.Activities;
using Tandem.Server.Email.Consent;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Email.Tracking;

/// <summary>
/// GET /e/o/{token}.gif: the open pixel. Always a 1×1 transparent GIF that is never cached (so each open is fetched),
/// whatever the token: a bad token records nothing. A person's open counts on the send (<c>opens</c>,
/// <c>first_opened_at</c>), appends <c>email_opened</c> and raises <see cref="EmailEventRecorded"/> (Opened); a
/// mail-privacy proxy's or an image cache's fetch (see <see cref="OpenClassifier"/>) appends <c>email_prefetched</c>
/// only, which scoring never counts and programs never see as an open.
/// </summary>
internal static class TrackOpen
{
    /// <summary>The smallest transparent GIF: 1×1, one transparent colour.</summary>
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static async Task Handle(string token, HttpContext http, EmailLinks links, Consequences consequences, PersonEvents events,
        EmailTrackingOptions options, TimeProvider clock, ILoggerFactory logs, CancellationToken ct)
    {
        if (links.TryReadOpen(token, out var sendId))
        {
            try
            {
                await RecordAsync(sendId, http.Request.Headers.UserAgent.ToString(), consequences, events, options, clock, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The reader's mail client must get its image whatever happens here; the failure is logged, not shown.
                logs.CreateLogger(typeof(TrackOpen)).LogError(e, "Recording an open of send {SendId} failed", sendId);
            }
        }
        var response = http.Response;
        response.ContentType = "image/gif";
        response.Headers.CacheControl = "no-store, no-cache, must-revalidate, max-age=0";
        response.Headers.Pragma = "no-cache";
        response.Headers.Expires = "0";
        response.ContentLength = Pixel.Length;
        await response.Body.WriteAsync(Pixel, ct);
    }

    private static Task RecordAsync(long sendId, string userAgent, Consequences consequences, PersonEvents events, EmailTrackingOptions options,
        TimeProvider clock, CancellationToken ct) =>
        consequences.WriteAsync(async (c, tx) =>
        {
            var send = await TrackedSend.FindAsync(c, tx, sendId);
            if (send is null) return;
            var person = await PersonStore.FindLiveAsync(c, tx, send.PersonId);
            if (person is null) return;
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var verdict = OpenClassifier.Classify(send.SentAt ?? send.QueuedAt, now, userAgent, TimeSpan.FromSeconds(options.PrefetchSeconds));
            var properties = send.ActivityProperties();
            if (ConsentProof.Limit(userAgent) is { } ua) properties["userAgent"] = ua;
            if (verdict.Prefetched)
            {
                properties["why"] = verdict.Why;
                await ActivityStore.AppendAsync(c, tx, new NewActivity(person.Id, null, EmailActivityTypes.Prefetched, now, now,
                    EmailActivityTypes.Source, Json.Write(properties)));
                events.Raise(tx, new ActivitiesAppended([person.Id], Unsubscriber.Person));
                return;
            }
            await c.ExecuteAsync("UPDATE email_sends SET opens = opens + 1, first_opened_at = COALESCE(first_opened_at, @now) WHERE id = @sendId",
                new { now, sendId }, tx);
            await ActivityStore.AppendAsync(c, tx, new NewActivity(person.Id, null, EmailActivityTypes.Opened, now, now,
                EmailActivityTypes.Source, Json.Write(properties)));
            events.Raise(tx, new ActivitiesAppended([person.Id], Unsubscriber.Person));
            events.Raise(tx, new EmailEventRecorded(person.Id, EmailEventKind.Opened, send.Id, send.ProgramId, send.EnrollmentId, send.StepKey,
                Unsubscriber.Person));
        }, ct);
}

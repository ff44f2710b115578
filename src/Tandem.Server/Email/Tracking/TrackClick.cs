using Dapper;
using Tandem.Server.Activities;
using Tandem.Server.Email.Consent;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Email.Tracking;

/// <summary>
/// GET /e/c/{token}?u=URL: a tracked link. The token's signature covers this send and exactly this URL, so the redirect
/// can never be pointed anywhere else (no open redirect); an altered URL or token gets a 400 page. A click counts on the
/// send (<c>clicks</c>, <c>first_clicked_at</c>), appends <c>email_clicked</c> with the link and raises
/// <see cref="EmailEventRecorded"/> (Clicked), then the browser is sent on with a 302.
/// </summary>
internal static class TrackClick
{
    public static async Task<IResult> Handle(string token, HttpContext http, EmailLinks links, Database db, Consequences consequences,
        PersonEvents events, TimeProvider clock, CancellationToken ct)
    {
        var target = http.Request.Query["u"].ToString();
        if (target.Length == 0 || !links.TryReadClick(token, target, out var sendId)
            || !Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return PublicPage.BadLink(await Brand.ReadAsync(db, ct));

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await consequences.WriteAsync(async (c, tx) =>
        {
            var send = await TrackedSend.FindAsync(c, tx, sendId);
            if (send is null) return;
            var person = await PersonStore.FindLiveAsync(c, tx, send.PersonId);
            if (person is null) return;
            await c.ExecuteAsync("UPDATE email_sends SET clicks = clicks + 1, first_clicked_at = COALESCE(first_clicked_at, @now) WHERE id = @sendId",
                new { now, sendId }, tx);
            var properties = send.ActivityProperties();
            properties["link"] = target;
            properties["url"] = target;
            await ActivityStore.AppendAsync(c, tx, new NewActivity(person.Id, null, EmailActivityTypes.Clicked, now, now,
                EmailActivityTypes.Source, Json.Write(properties)));
            events.Raise(tx, new ActivitiesAppended([person.Id], Unsubscriber.Person));
            events.Raise(tx, new EmailEventRecorded(person.Id, EmailEventKind.Clicked, send.Id, send.ProgramId, send.EnrollmentId, send.StepKey,
                Unsubscriber.Person));
        }, ct);
        // The exact signed URL: scoring and programs saw the click, and the reader goes where the email said.
        return Results.Redirect(target);
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Audit;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.People;

/// <summary>
/// POST /api/v1/people/{id}/opt-outs/lift, and the person page's "Lift" button: the one way a do-not-email or
/// do-not-call comes off a person. Capture only ever adds opt-outs (a sync or a form saying "false" changes nothing),
/// so lifting is a deliberate act by someone, with a reason, written to the audit log in the same transaction.
/// An unsubscribe is not lifted here: only the person can re-subscribe, from the preference page.
/// </summary>
internal sealed class LiftOptOut(Consequences consequences, PersonEvents events, TimeProvider clock)
{
    public const string DoNotEmail = "doNotEmail", DoNotCall = "doNotCall", Unsubscribed = "unsubscribed";

    public static readonly IReadOnlyList<string> Liftable = [DoNotEmail, DoNotCall];

    public const int MaxReasonLength = 500;

    public sealed record Request(string? OptOut, string? Reason);

    public enum Outcome { Lifted, WasNotSet, NotFound }

    /// <summary>The request's problems by field; empty when it may go ahead.</summary>
    public static Validation Check(Request request)
    {
        var v = new Validation();
        if (request.OptOut == Unsubscribed)
            v.Add("optOut", "An unsubscribe is lifted only by the person, with 'Subscribe me again' on the preference page linked from every marketing email.");
        else if (request.OptOut is null || !Liftable.Contains(request.OptOut))
            v.Add("optOut", $"Name the opt-out to lift: {string.Join(" or ", Liftable)}.");
        if (string.IsNullOrWhiteSpace(request.Reason)) v.Add("reason", "Say why the opt-out is lifted, e.g. \"asked on the phone on 3 Dec to be called back\".");
        else if (request.Reason.Trim().Length > MaxReasonLength) v.Add("reason", $"Keep the reason to {MaxReasonLength} characters.");
        return v;
    }

    /// <summary>Lifts a checked request's opt-out; nothing is written (or audited) when the person did not have it.</summary>
    public Task<Outcome> RunAsync(long personId, Request request, Actor actor, CancellationToken ct)
    {
        var optOut = request.OptOut!;
        var reason = request.Reason!.Trim();
        return consequences.WriteAsync(async (c, tx) =>
        {
            var person = await PersonStore.FindLiveAsync(c, tx, personId, forUpdate: true);
            if (person is null) return Outcome.NotFound;
            var consent = person.Consent;
            var lifted = optOut == DoNotEmail ? consent with { DoNotEmail = false } : consent with { DoNotCall = false };
            if (lifted == consent) return Outcome.WasNotSet;
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            person.SetConsent(lifted);
            person.UpdatedAt = Math.Max(person.UpdatedAt, now);
            await PersonStore.UpdateAsync(c, tx, person);
            await AuditLog.WriteAsync(c, tx, now, "person.opt_out_lifted", $"person {person.Id}", new { optOut, reason });
            events.Raise(tx, new ProfileChanged(person.Id, ["consent"], actor));
            return Outcome.Lifted;
        }, ct);
    }

    public static async Task<Results<Ok<PersonDto>, ValidationProblem, ProblemHttpResult>> Handle(
        long id, Request request, HttpContext http, LiftOptOut lift, Database db, CancellationToken ct)
    {
        var v = Check(request);
        if (!v.IsValid) return v.ToProblem();
        if (await lift.RunAsync(id, request, Actors.Of(http.User), ct) == Outcome.NotFound) return Problems.NotFound("Person", id);
        var dto = await db.ReadAsync(async c => await PersonStore.FindLiveAsync(c, null, id) is { } p ? await PersonDto.LoadAsync(c, null, p) : null, ct);
        return dto is null ? Problems.NotFound("Person", id) : TypedResults.Ok(dto);
    }
}

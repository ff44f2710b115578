using System.Data.Common;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Activities;
using Tandem.Server.Email.Tracking;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Email.Consent;

/// <summary>
/// Unsubscribes a person from all marketing email: the address is suppressed (reason unsubscribed), consent becomes
/// opted_out with its proof and a log row, <c>people.unsubscribed</c> is set, the send that carried the link is marked,
/// and the timeline gets <c>email_unsubscribed</c> — all inside the caller's <see cref="Consequences.WriteAsync{T}"/>
/// transaction, raising <see cref="ProfileChanged"/> ("consent"), <see cref="ActivitiesAppended"/> and
/// <see cref="EmailEventRecorded"/> (Unsubscribed). Idempotent: a person already unsubscribed everywhere gets nothing new.
/// </summary>
internal sealed class Unsubscriber(PersonEvents events)
{
    public static readonly Actor Person = Actor.System("the person, from an email link");

    /// <returns>False when the person was already unsubscribed and nothing was written.</returns>
    public async Task<bool> UnsubscribeAsync(DbConnection c, DbTransaction tx, long personId, string address, TrackedSend? send,
        ConsentProof proof, long now)
    {
        var person = await PersonStore.FindLiveAsync(c, tx, personId, forUpdate: true);
        if (person is null) return false;
        var suppressed = await EmailSuppressions.SuppressAsync(c, tx, address, SuppressionReasons.Unsubscribed, proof.Source, person.Id, send?.Id, now);
        // The person's current address too, when the email went to an older one.
        if (person.Email is { } current && EmailSuppressions.Normalize(current) != EmailSuppressions.Normalize(address))
            suppressed |= await EmailSuppressions.SuppressAsync(c, tx, current, SuppressionReasons.Unsubscribed, proof.Source, person.Id, send?.Id, now);
        var consent = await ConsentStore.FindAsync(c, tx, person.Id);
        var flagChanged = person.Unsubscribed == 0;
        var consentChanged = consent?.Status != ConsentStatus.OptedOut;
        if (!suppressed && !flagChanged && !consentChanged) return false;

        var basis = consent?.Basis ?? ConsentBasis.Consent;
        await ConsentStore.SaveAsync(c, tx, person.Id, ConsentStatus.OptedOut, basis, proof, consent?.RequestedAt, consent?.ConfirmedAt, now);
        await ConsentStore.LogAsync(c, tx, person.Id, "opted_out", proof, now, basis,
            detail: send is null ? $"unsubscribed {address} from all marketing email" : $"unsubscribed {address} from all marketing email (send {send.Id})");
        if (flagChanged)
        {
            person.SetConsent(person.Consent with { Unsubscribed = true });
            person.UpdatedAt = Math.Max(person.UpdatedAt, now);
            await PersonStore.UpdateAsync(c, tx, person);
            events.Raise(tx, new ProfileChanged(person.Id, ["consent"], Person));
        }
        if (send is not null)
            await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE email_sends SET unsubscribed_at = COALESCE(unsubscribed_at, @now) WHERE id = @id",
                new { now, id = send.Id }, tx);

        var properties = send?.ActivityProperties() ?? [];
        properties["address"] = EmailSuppressions.Normalize(address);
        properties["source"] = proof.Source;
        await ActivityStore.AppendAsync(c, tx, new NewActivity(person.Id, null, EmailActivityTypes.Unsubscribed, now, now, EmailActivityTypes.Source,
            Json.Write(properties)));
        events.Raise(tx, new ActivitiesAppended([person.Id], Person));
        events.Raise(tx, new EmailEventRecorded(person.Id, EmailEventKind.Unsubscribed, send?.Id, send?.ProgramId, send?.EnrollmentId, send?.StepKey, Person));
        return true;
    }
}

/// <summary>The timeline's email activity types written by the public pages and tracking.</summary>
internal static class EmailActivityTypes
{
    /// <summary>The <c>activities.source</c> of what happened to an email.</summary>
    public const string Source = "email";
    public const string Opened = "email_opened";
    public const string Prefetched = "email_prefetched";
    public const string Clicked = "email_clicked";
    public const string Unsubscribed = "email_unsubscribed";
}

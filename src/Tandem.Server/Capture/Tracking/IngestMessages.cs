using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Tandem.Domain.Capture;
using Tandem.Domain.Identity;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Accounts;
using Tandem.Server.Activities;
using Tandem.Server.Audit;
using Tandem.Server.Hosting;
using Tandem.Server.Identity;
using Tandem.Server.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Privacy;
using Tandem.Server.Storage;

namespace Tandem.Server.Capture.Tracking;

/// <summary>
/// Stores a request's Segment messages in one transaction: all of them or none. A message whose
/// messageId was stored before is skipped, so client retries never double-count; so is one naming an erased person
/// (counted with the duplicates: nothing new was stored).
/// </summary>
internal sealed class IngestMessages(Consequences consequences, PersonCapturer capturer, MoveStage moveStage, PersonEvents events, TimeProvider clock,
    Operations.Telemetry.TandemMetrics metrics)
{
    /// <summary>External ids from tracking clients (Segment's userId) are kept under this source name.</summary>
    public const string UserIdSource = "tracking";

    public static readonly HashSet<string> Types = ["identify", "track", "page", "screen", "group", "alias"];

    public sealed record Outcome(int Stored, int Duplicates);

    /// <summary>Checks every message before anything is written; errors are keyed like "batch[3].userId".</summary>
    public static Validation Validate(IReadOnlyList<SegmentMessage?> messages, string prefix)
    {
        var v = new Validation();
        for (var i = 0; i < messages.Count; i++)
        {
            var at = prefix.Length == 0 ? "" : $"{prefix}[{i}].";
            var m = messages[i];
            if (m is null) { v.Add($"{prefix}[{i}]", "Must be a message object."); continue; }
            var type = m.Type?.Trim().ToLowerInvariant();
            if (type is null || !Types.Contains(type)) { v.Add(at + "type", $"Must be one of: {string.Join(", ", Types)}."); continue; }
            if (type == "alias")
            {
                if (m.UserIdText is null) v.Add(at + "userId", "alias needs the new userId.");
                if (m.PreviousIdText is null) v.Add(at + "previousId", "alias needs the previousId.");
                continue;
            }
            if (m.UserIdText is null && m.AnonymousIdText is null) v.Add(at + "userId", "Either userId or anonymousId is required.");
            if (type == "track" && string.IsNullOrWhiteSpace(m.Event)) v.Add(at + "event", "A track call needs an event name.");
            if (type == "group" && m.GroupIdText is null) v.Add(at + "groupId", "A group call needs a groupId.");
            if (m.MessageId is { Length: > 200 }) v.Add(at + "messageId", "Must be at most 200 characters.");
            if (m.UserIdText is { Length: > 200 }) v.Add(at + "userId", "Must be at most 200 characters.");
            if (m.AnonymousIdText is { Length: > 200 }) v.Add(at + "anonymousId", "Must be at most 200 characters.");
            foreach (var (obj, name) in new[] { (m.Properties, "properties"), (m.Traits, "traits"), (m.Context, "context") })
                if (obj is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
                    v.Add(at + name, "Must be a JSON object.");
        }
        return v;
    }

    /// <param name="mayMergeKnownPeople">
    /// Whether the sender may merge a userId's record that someone else knows (an owner, another system's id, activity
    /// not from tracking) into the person with the identify's email; a public ingest key may not.
    /// </param>
    public async Task<Outcome> StoreAsync(IReadOnlyList<SegmentMessage> messages, DateTimeOffset? batchSentAt, JsonElement? batchContext,
        Actor actor, bool mayMergeKnownPeople, CancellationToken ct)
    {
        var received = clock.GetUtcNow();
        var tracked = messages.Select(m => TrackedMessage.From(m, batchSentAt, batchContext, received)).ToList();
        var outcome = await consequences.WriteAsync(async (c, tx) =>
        {
            var session = new IngestSession(c, tx, received.ToUnixTimeMilliseconds(), mayMergeKnownPeople);
            await session.PrefetchAsync(tracked);
            int stored = 0, duplicates = 0;
            foreach (var m in tracked)
            {
                if (await StoreOneAsync(session, m, actor)) stored++;
                else duplicates++;
            }
            var raced = await session.FlushActivitiesAsync(); // stored meanwhile by a request that did not share our locks
            events.Raise(tx, new ActivitiesAppended(session.Touched.ToArray(), actor));
            return new Outcome(stored - raced, duplicates + raced);
        }, ct);
        metrics.EventsIngested(outcome.Stored); // counted once committed
        return outcome;
    }

    private async Task<bool> StoreOneAsync(IngestSession s, TrackedMessage t, Actor actor)
    {
        var (m, type, messageId, occurred, touch) = (t.Message, t.Type, t.MessageId, t.OccurredAt, t.Touch);
        // A retried delivery changes nothing: no person is created or updated for a message stored before.
        if (s.IsDuplicate(messageId)) return false;

        long? personId;
        try
        {
            personId = type switch
            {
                "identify" => await IdentifyAsync(s, m, touch, occurred, actor),
                "alias" => await AliasAsync(s, m, occurred, actor),
                _ => await ResolveAsync(s, t.UserId, t.AnonymousId, occurred, actor),
            };
        }
        catch (ErasedPersonException e)
        {
            // A message naming an erased person is dropped whole (its traits and properties would name them again),
            // and the audit log says so without saying who.
            await AuditLog.WriteAsync(s.C, s.Tx, s.Now, "person.capture_refused", "tracking", new { source = "tracking", type, field = e.Match.Field });
            return false;
        }
        if (type == "group" && personId is { } member) await GroupAsync(s, m, member);

        long? campaignId = touch?.UtmCampaign is { } utm ? await s.CampaignAsync(utm, touch.Channel) : null;
        s.Append(new NewActivity(personId, t.AnonymousId, t.ActivityType, occurred.ToUnixTimeMilliseconds(), s.Now,
            ActivitySources.Tracking, t.Properties, messageId, touch?.Channel, campaignId));
        if (personId is { } touchedId) s.Touched.Add(touchedId);

        if (touch is not null && personId is { } pid && type is not "identify")
            await capturer.CaptureAsync(s.C, s.Tx, new PersonCapture { Touch = touch, ObservedAt = occurred }, actor, pid);
        return true;
    }

    private async Task<long?> IdentifyAsync(IngestSession s, SegmentMessage m, Attribution? touch, DateTimeOffset occurred, Actor actor)
    {
        EmailAddress? email = EmailAddress.TryParse(SegmentTraits.Email(m.Traits), out var e) ? e : SegmentTraits.UserIdEmail(m.UserIdText);
        var knownId = m.UserIdText is null && m.AnonymousIdText is { } anon ? await LinkedPersonAsync(s, anon) : null;
        if (m.UserIdText is null && email is null && knownId is null) return null; // traits of a stranger stay on the activity only

        var outcome = await capturer.CaptureAsync(s.C, s.Tx, new PersonCapture
        {
            Email = email,
            ExternalIds = m.UserIdText is { } uid ? [new ExternalIdDto(UserIdSource, uid)] : [],
            Fields = SegmentTraits.Fields(m.Traits),
            Unsubscribed = SegmentTraits.Flag(m.Traits, "unsubscribed"),
            DoNotEmail = SegmentTraits.Flag(m.Traits, "doNotEmail"),
            DoNotCall = SegmentTraits.Flag(m.Traits, "doNotCall"),
            Touch = touch,
            ObservedAt = occurred,
        }, actor, knownId);
        var personId = email is null ? outcome.PersonId : await JoinEmailOwnerAsync(s, outcome.PersonId, email.Value.Value, actor);
        if (m.UserIdText is { } u) s.Remember(u, personId);
        if (m.AnonymousIdText is { } a) await LinkAnonymousAsync(s, a, personId, actor);
        return personId;
    }

    /// <summary>
    /// A userId seen before its identify (a server-side track, or batches delivered out of order) becomes a
    /// person without an email. When the identify then names an email that another person already has —
    /// say a lead captured through the API or a form — the two records are one human: the userId's record
    /// is merged into the email's, so tracking and the lead share one timeline.
    /// </summary>
    private async Task<long> JoinEmailOwnerAsync(IngestSession s, long personId, string email, Actor actor)
    {
        if (await PersonStore.FindIdByEmailAsync(s.C, s.Tx, email) is not { } owner || owner == personId) return personId;
        if ((await PersonStore.FindAsync(s.C, s.Tx, personId))?.Email is not null) return personId; // a different email: not a placeholder
        if (!s.MayMergeKnownPeople && !await IsTrackingAloneAsync(s, personId)) return personId;
        var merge = await MergePeople.MergeAsync(s.C, s.Tx, owner, personId, actor, s.Now, moveStage, events);
        if (merge.Status != MergePeople.MergeStatus.Merged) return personId;
        s.Redirect(personId, owner);
        return owner;
    }

    /// <summary>
    /// A record that only tracking ever wrote to: nobody owns it, no other system has an id for it, and all its activity
    /// came from tracking (or is Tandem's own). Anything more means someone knows this person, and folding them into
    /// another is a merge for someone with the write scope to make.
    /// </summary>
    private static async Task<bool> IsTrackingAloneAsync(IngestSession s, long personId) =>
        await s.C.ExecuteScalarAsync<long>(
            "SELECT (SELECT COUNT(*) FROM people WHERE id = @personId AND owner_id IS NOT NULL) " +
            "+ (SELECT COUNT(*) FROM person_external_ids WHERE person_id = @personId AND source <> @UserIdSource) " +
            "+ (SELECT COUNT(*) FROM activities WHERE person_id = @personId AND source NOT IN (@tracking, @system))",
            new { personId, UserIdSource, tracking = ActivitySources.Tracking, system = ActivitySources.System }, s.Tx) == 0;

    private async Task<long?> AliasAsync(IngestSession s, SegmentMessage m, DateTimeOffset occurred, Actor actor)
    {
        var personId = await ResolveAsync(s, m.UserIdText, null, occurred, actor);
        var previous = m.PreviousIdText!;
        var previousPerson = await PersonStore.FindIdByExternalIdAsync(s.C, s.Tx, UserIdSource, previous);
        if (previousPerson is null) await LinkAnonymousAsync(s, previous, personId!.Value, actor);
        return personId;
    }

    private static async Task GroupAsync(IngestSession s, SegmentMessage m, long personId)
    {
        var website = SegmentTraits.Text(m.Traits, "website") ?? SegmentTraits.Text(m.Traits, "domain");
        var domain = website is null ? null : DomainOf(website);
        var name = SegmentTraits.Text(m.Traits, "name");
        if (domain is not null && FreeMailDomains.Contains(domain)) domain = null;
        if (domain is null && CompanyName.Normalize(name) is null) return;
        var accountId = await AccountStore.FindOrCreateAsync(s.C, s.Tx,
            new AccountMatch(domain, CompanyName.Normalize(name), name ?? domain!), s.Now);
        await s.C.ExecuteAsync("UPDATE people SET account_id = @accountId, updated_at = @now WHERE id = @personId",
            new { accountId, now = s.Now, personId }, s.Tx);
    }

    private static string? DomainOf(string website)
    {
        var text = website.Contains("://") ? website : "https://" + website;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)) return null;
        var host = uri.Host.ToLowerInvariant();
        return host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
    }

    /// <summary>Finds the person behind a userId or anonymousId; a userId never seen before becomes a new person.</summary>
    private async Task<long?> ResolveAsync(IngestSession s, string? userId, string? anonymousId, DateTimeOffset occurred, Actor actor)
    {
        long? personId = null;
        if (userId is not null)
        {
            var (found, known) = s.Recall(userId);
            personId = found ? known : await PersonStore.FindIdByExternalIdAsync(s.C, s.Tx, UserIdSource, userId);
            if (personId is null)
            {
                var viaAnonymous = anonymousId is null ? null : await LinkedPersonAsync(s, anonymousId);
                // A userId that is an email address is that person: it joins whoever has the email (or gives the new person it).
                personId = (await capturer.CaptureAsync(s.C, s.Tx, new PersonCapture
                {
                    Email = SegmentTraits.UserIdEmail(userId),
                    ExternalIds = [new ExternalIdDto(UserIdSource, userId)],
                    ObservedAt = occurred,
                }, actor, viaAnonymous)).PersonId;
            }
            s.Remember(userId, personId.Value);
            if (anonymousId is not null) await LinkAnonymousAsync(s, anonymousId, personId.Value, actor);
            return personId;
        }
        return await LinkedPersonAsync(s, anonymousId!);
    }

    private static async Task<long?> LinkedPersonAsync(IngestSession s, string anonymousId)
    {
        var (found, personId) = s.RecallAnonymous(anonymousId);
        return found ? personId : await PersonStore.FindIdByAnonymousIdAsync(s.C, s.Tx, anonymousId);
    }

    /// <summary>Links a visitor's anonymousId to a person and hands them the visitor's earlier activity and first touch.</summary>
    private async Task LinkAnonymousAsync(IngestSession s, string anonymousId, long personId, Actor actor)
    {
        if (s.RecallAnonymous(anonymousId).PersonId == personId) return;
        var linked = await s.C.ExecuteAsync(
            "INSERT INTO anonymous_ids (anonymous_id, person_id, linked_at) VALUES (@anonymousId, @personId, @now) ON CONFLICT (anonymous_id) DO NOTHING",
            new { anonymousId, personId, now = s.Now }, s.Tx);
        s.RememberAnonymous(anonymousId, personId);
        if (linked == 0) return;

        // The visitor's earliest tagged visit is the person's real first touch. Until this link every
        // activity of the visitor is unattributed, so "person_id IS NULL" finds exactly those rows
        // through the partial index instead of scanning the whole activity table. The earliest is
        // picked here: an ORDER BY would tempt SQLite into walking the person index instead.
        // This batch's own earlier visits count too: they are still waiting to be inserted.
        var tagged = (await s.C.QueryAsync<(long OccurredAt, string Properties)>(
            "SELECT occurred_at, properties FROM activities WHERE anonymous_id = @anonymousId AND person_id IS NULL AND channel IS NOT NULL",
            new { anonymousId }, s.Tx)).Concat(s.PendingTagged(anonymousId)).ToList();
        (long OccurredAt, string Properties)? earliest = tagged.Count > 0 ? tagged.MinBy(t => t.OccurredAt) : null;
        var adopted = await ActivityStore.AdoptAnonymousAsync(s.C, s.Tx, anonymousId, personId) + s.AdoptPending(anonymousId, personId);
        if (adopted > 0) s.Touched.Add(personId);
        if (earliest is { } first && JsonNode.Parse(first.Properties)?["utm"] is JsonObject utm)
        {
            var touch = new Attribution(UtmSource: (string?)utm["source"], UtmMedium: (string?)utm["medium"], UtmCampaign: (string?)utm["campaign"],
                UtmTerm: (string?)utm["term"], UtmContent: (string?)utm["content"], Referrer: (string?)utm["referrer"], LandingPage: (string?)utm["landingPage"]);
            await capturer.CaptureAsync(s.C, s.Tx, new PersonCapture
            {
                Touch = touch, ObservedAt = DateTimeOffset.FromUnixTimeMilliseconds(first.OccurredAt),
            }, actor, personId);
        }
    }
}

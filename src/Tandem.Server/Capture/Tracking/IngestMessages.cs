using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Tandem.Domain.Capture;
using Tandem.Domain.Identity;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Accounts;
using Tandem.Server.Activities;
using Tandem.Server.Campaigns;
using Tandem.Server.Hosting;
using Tandem.Server.Identity;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Capture.Tracking;

/// <summary>
/// Stores a request's Segment messages in one transaction: all of them or none. A message whose
/// messageId was stored before is skipped, so client retries never double-count.
/// </summary>
public sealed class IngestMessages(Database db, PersonCapturer capturer, PersonEvents events, TimeProvider clock)
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

    public Task<Outcome> StoreAsync(IReadOnlyList<SegmentMessage> messages, DateTimeOffset? batchSentAt, JsonElement? batchContext,
        Actor actor, CancellationToken ct)
    {
        var received = clock.GetUtcNow();
        return db.WriteAsync(async (c, tx) =>
        {
            var session = new Session(c, tx, received.ToUnixTimeMilliseconds());
            int stored = 0, duplicates = 0;
            foreach (var m in messages)
            {
                var occurred = EventTime.Resolve(m.Timestamp, m.SentAt ?? batchSentAt, received);
                if (await StoreOneAsync(session, m, m.Context ?? batchContext, occurred, actor)) stored++;
                else duplicates++;
            }
            await events.ActivitiesAppendedAsync(c, tx, session.Touched, actor);
            return new Outcome(stored, duplicates);
        }, ct);
    }

    private async Task<bool> StoreOneAsync(Session s, SegmentMessage m, JsonElement? context, DateTimeOffset occurred, Actor actor)
    {
        var type = m.Type!.Trim().ToLowerInvariant();
        var messageId = string.IsNullOrWhiteSpace(m.MessageId) ? null : m.MessageId.Trim();
        if (messageId is not null && type is "identify" or "group" or "alias" &&
            await s.C.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM activities WHERE message_id = @messageId", new { messageId }, s.Tx) > 0)
            return false;

        var touch = SegmentTraits.Attribution(context);
        long? personId = type switch
        {
            "identify" => await IdentifyAsync(s, m, touch, occurred, actor),
            "alias" => await AliasAsync(s, m, occurred, actor),
            _ => await ResolveAsync(s, m.UserIdText, m.AnonymousIdText, occurred, actor),
        };
        if (type == "group" && personId is { } member) await GroupAsync(s, m, member);

        long? campaignId = touch?.UtmCampaign is { } utm ? await CampaignStore.ResolveAsync(s.C, s.Tx, utm, touch.Channel, s.Now) : null;
        var activity = new NewActivity(personId, m.AnonymousIdText, ActivityType(type, m), occurred.ToUnixTimeMilliseconds(), s.Now,
            ActivitySources.Tracking, Properties(type, m, context, touch), messageId, touch?.Channel, campaignId);
        var id = await s.InsertActivityAsync(activity);
        if (id is null) return false;
        if (personId is { } touchedId) s.Touched.Add(touchedId);

        if (touch is not null && personId is { } pid && type is not "identify")
            await capturer.CaptureAsync(s.C, s.Tx, new PersonCapture { Touch = touch, ObservedAt = occurred }, actor, pid);
        return true;
    }

    private async Task<long?> IdentifyAsync(Session s, SegmentMessage m, Attribution? touch, DateTimeOffset occurred, Actor actor)
    {
        EmailAddress? email = EmailAddress.TryParse(SegmentTraits.Email(m.Traits), out var e) ? e : null;
        var knownId = m.UserIdText is null && m.AnonymousIdText is { } anon ? await PersonStore.FindIdByAnonymousIdAsync(s.C, s.Tx, anon) : null;
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
        if (m.UserIdText is { } u) s.Remember(u, outcome.PersonId);
        if (m.AnonymousIdText is { } a) await LinkAnonymousAsync(s, a, outcome.PersonId, actor);
        return outcome.PersonId;
    }

    private async Task<long?> AliasAsync(Session s, SegmentMessage m, DateTimeOffset occurred, Actor actor)
    {
        var personId = await ResolveAsync(s, m.UserIdText, null, occurred, actor);
        var previous = m.PreviousIdText!;
        var previousPerson = await PersonStore.FindIdByExternalIdAsync(s.C, s.Tx, UserIdSource, previous);
        if (previousPerson is null) await LinkAnonymousAsync(s, previous, personId!.Value, actor);
        return personId;
    }

    private static async Task GroupAsync(Session s, SegmentMessage m, long personId)
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
    private async Task<long?> ResolveAsync(Session s, string? userId, string? anonymousId, DateTimeOffset occurred, Actor actor)
    {
        long? personId = null;
        if (userId is not null)
        {
            personId = s.Recall(userId) ?? await PersonStore.FindIdByExternalIdAsync(s.C, s.Tx, UserIdSource, userId);
            if (personId is null)
            {
                var viaAnonymous = anonymousId is null ? null : await PersonStore.FindIdByAnonymousIdAsync(s.C, s.Tx, anonymousId);
                personId = (await capturer.CaptureAsync(s.C, s.Tx, new PersonCapture
                {
                    ExternalIds = [new ExternalIdDto(UserIdSource, userId)],
                    ObservedAt = occurred,
                }, actor, viaAnonymous)).PersonId;
            }
            s.Remember(userId, personId.Value);
            if (anonymousId is not null) await LinkAnonymousAsync(s, anonymousId, personId.Value, actor);
            return personId;
        }
        return s.RecallAnonymous(anonymousId!) ?? await PersonStore.FindIdByAnonymousIdAsync(s.C, s.Tx, anonymousId!);
    }

    /// <summary>Links a visitor's anonymousId to a person and hands them the visitor's earlier activity and first touch.</summary>
    private async Task LinkAnonymousAsync(Session s, string anonymousId, long personId, Actor actor)
    {
        if (s.RecallAnonymous(anonymousId) == personId) return;
        var linked = await s.C.ExecuteAsync(
            "INSERT INTO anonymous_ids (anonymous_id, person_id, linked_at) VALUES (@anonymousId, @personId, @now) ON CONFLICT (anonymous_id) DO NOTHING",
            new { anonymousId, personId, now = s.Now }, s.Tx);
        s.RememberAnonymous(anonymousId, personId);
        if (linked == 0) return;
        if (await ActivityStore.AdoptAnonymousAsync(s.C, s.Tx, anonymousId, personId) > 0) s.Touched.Add(personId);

        // The visitor's earliest tagged visit is the person's real first touch.
        var earliest = await s.C.QueryFirstOrDefaultAsync<(long OccurredAt, string Properties)?>(
            "SELECT occurred_at, properties FROM activities WHERE anonymous_id = @anonymousId AND channel IS NOT NULL ORDER BY occurred_at LIMIT 1",
            new { anonymousId }, s.Tx);
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

    private static string ActivityType(string type, SegmentMessage m) => type switch
    {
        "track" => m.Event!.Trim(),
        "page" => "page_view",
        "screen" => "screen_view",
        _ => type,
    };

    /// <summary>The stored properties: the message's own, plus page facts and UTM tags from its context.</summary>
    private static string Properties(string type, SegmentMessage m, JsonElement? context, Attribution? touch)
    {
        var source = type is "identify" or "group" ? m.Traits : m.Properties;
        var node = source is { ValueKind: JsonValueKind.Object } o ? JsonNode.Parse(o.GetRawText())!.AsObject() : new JsonObject();
        if (type is "page" or "screen")
        {
            if (m.Name is not null) node.TryAdd("name", m.Name);
            if (m.Category is not null) node.TryAdd("category", m.Category);
            if (context is { ValueKind: JsonValueKind.Object } ctx && ctx.TryGetProperty("page", out var page) && page.ValueKind == JsonValueKind.Object)
                foreach (var field in new[] { "url", "path", "referrer", "title" })
                    if (SegmentTraits.Text(page, field) is { } value) node.TryAdd(field, value);
        }
        if (type == "group" && m.GroupIdText is { } g) node["groupId"] = g;
        if (type == "alias") node["previousId"] = m.PreviousIdText;
        if (touch is not null)
            node["utm"] = new JsonObject
            {
                ["source"] = touch.UtmSource, ["medium"] = touch.UtmMedium, ["campaign"] = touch.UtmCampaign,
                ["term"] = touch.UtmTerm, ["content"] = touch.UtmContent, ["referrer"] = touch.Referrer, ["landingPage"] = touch.LandingPage,
            };
        return node.ToJsonString();
    }

    /// <summary>Per-request state: one prepared insert and the ids already resolved in this batch.</summary>
    private sealed class Session(DbConnection c, DbTransaction tx, long now)
    {
        private readonly Dictionary<string, long> users = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> anonymous = new(StringComparer.Ordinal);
        private DbCommand? insert;
        private readonly HashSet<long> signatures = [];

        /// <summary>People whose activity changed in this request, announced once at the end.</summary>
        public HashSet<long> Touched { get; } = [];

        public DbConnection C { get; } = c;
        public DbTransaction Tx { get; } = tx;
        public long Now { get; } = now;

        public long? Recall(string userId) => users.TryGetValue(userId, out var id) ? id : null;
        public void Remember(string userId, long personId) => users[userId] = personId;
        public long? RecallAnonymous(string anonymousId) => anonymous.TryGetValue(anonymousId, out var id) ? id : null;
        public void RememberAnonymous(string anonymousId, long personId) => anonymous[anonymousId] = personId;

        /// <summary>The hot path: one prepared statement reused for every event in the batch.</summary>
        public async Task<long?> InsertActivityAsync(NewActivity a)
        {
            if (insert is null)
            {
                insert = C.CreateCommand();
                insert.Transaction = Tx;
                insert.CommandText = ActivityStore.InsertSql + " ON CONFLICT (message_id) DO NOTHING RETURNING id";
                foreach (var name in new[] { "PersonId", "AnonymousId", "Type", "OccurredAt", "ReceivedAt", "MessageId", "Source", "Channel", "CampaignId", "Properties", "Signature" })
                {
                    var p = insert.CreateParameter();
                    p.ParameterName = "@" + name;
                    insert.Parameters.Add(p);
                }
            }
            var ps = insert.Parameters;
            ps[0].Value = (object?)a.PersonId ?? DBNull.Value;
            ps[1].Value = (object?)a.AnonymousId ?? DBNull.Value;
            ps[2].Value = a.Type;
            ps[3].Value = a.OccurredAt;
            ps[4].Value = a.ReceivedAt;
            ps[5].Value = (object?)a.MessageId ?? DBNull.Value;
            ps[6].Value = a.Source;
            ps[7].Value = (object?)a.Channel ?? DBNull.Value;
            ps[8].Value = (object?)a.CampaignId ?? DBNull.Value;
            ps[9].Value = a.Properties;
            var signature = a.Signature;
            ps[10].Value = signature;
            if (signatures.Add(signature)) await ActivitySignature.RememberAsync(C, Tx, signature, a);
            var result = await insert.ExecuteScalarAsync();
            return result is null or DBNull ? null : Convert.ToInt64(result);
        }
    }
}

using System.Data.Common;
using Dapper;
using Tandem.Server.Activities;
using Tandem.Server.Campaigns;
using Tandem.Server.Storage;

namespace Tandem.Server.Capture.Tracking;

/// <summary>
/// Per-request state of tracking ingestion: the message ids stored before and the people behind the
/// batch's userIds and anonymousIds — looked up with one query each for the whole batch, then kept as
/// the batch links and creates people — and the batch's activities, queued and inserted together.
/// </summary>
internal sealed class IngestSession(DbConnection c, DbTransaction tx, long now, bool mayMergeKnownPeople)
{
    private readonly Dictionary<string, long?> users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long?> anonymous = new(StringComparer.Ordinal);
    private readonly List<NewActivity> pending = [];
    private readonly Dictionary<string, long> campaigns = new(StringComparer.Ordinal);
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);
    private readonly HashSet<string> storedBefore = new(StringComparer.Ordinal);
    private readonly IngestStorage storage = IngestStorage.For(c);

    /// <summary>People whose activity changed in this request, announced once at the end.</summary>
    public HashSet<long> Touched { get; } = [];

    public DbConnection C { get; } = c;
    public DbTransaction Tx { get; } = tx;
    public long Now { get; } = now;

    /// <summary>Whether the sender's key may merge people others know (see <see cref="IngestMessages.StoreAsync"/>).</summary>
    public bool MayMergeKnownPeople { get; } = mayMergeKnownPeople;

    /// <summary>Loads, with one query each, who the batch's userIds and anonymousIds belong to and which of its messages were stored before.</summary>
    public async Task PrefetchAsync(IReadOnlyList<TrackedMessage> messages)
    {
        await storage.LockIdentitiesAsync(C, Tx, messages);
        var userIds = messages.Select(m => m.UserId).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var anonymousIds = messages.Select(m => m.AnonymousId).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        foreach (var id in userIds) users[id] = null;
        foreach (var id in anonymousIds) anonymous[id] = null;
        if (userIds.Length > 0)
            foreach (var (externalId, personId) in await C.QueryAsync<(string, long)>(
                         $"SELECT external_id, person_id FROM person_external_ids WHERE source = @source AND {Sql.In(C, "external_id", "@userIds")}",
                         new { source = IngestMessages.UserIdSource, userIds }, Tx))
                users[externalId] = personId;
        if (anonymousIds.Length > 0)
            foreach (var (anonymousId, personId) in await C.QueryAsync<(string, long)>(
                         $"SELECT anonymous_id, person_id FROM anonymous_ids WHERE {Sql.In(C, "anonymous_id", "@anonymousIds")}",
                         new { anonymousIds }, Tx))
                anonymous[anonymousId] = personId;
        var messageIds = messages.Select(m => m.MessageId).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (messageIds.Length > 0)
            storedBefore.UnionWith(await C.QueryAsync<string>(
                $"SELECT message_id FROM activities WHERE {Sql.In(C, "message_id", "@messageIds")}", new { messageIds }, Tx));
        await storage.LockPeopleAsync(C, Tx, KnownPeopleToUpdate(messages));
    }

    /// <summary>The people already known to the batch whose rows it will update (lazily: only an engine that locks them asks).</summary>
    private IEnumerable<long> KnownPeopleToUpdate(IReadOnlyList<TrackedMessage> messages)
    {
        foreach (var m in messages)
        {
            if (m.Type is not ("identify" or "group" or "alias") && m.Touch is null) continue; // only an activity row: no person update
            if (m.UserId is { } u && users.GetValueOrDefault(u) is { } byUser) yield return byUser;
            if (m.AnonymousId is { } a && anonymous.GetValueOrDefault(a) is { } byVisitor) yield return byVisitor;
        }
    }

    /// <summary>The person behind a userId: Found is false when the batch has not looked it up.</summary>
    public (bool Found, long? PersonId) Recall(string userId) => users.TryGetValue(userId, out var id) ? (true, id) : (false, null);
    public void Remember(string userId, long personId) => users[userId] = personId;

    /// <summary>The person an anonymousId is linked to: Found is false when the batch has not looked it up.</summary>
    public (bool Found, long? PersonId) RecallAnonymous(string anonymousId) =>
        anonymous.TryGetValue(anonymousId, out var id) ? (true, id) : (false, null);
    public void RememberAnonymous(string anonymousId, long personId) => anonymous[anonymousId] = personId;

    /// <summary>After a merge, everything this batch knew about the merged person points at the survivor.</summary>
    public void Redirect(long mergedId, long survivorId)
    {
        foreach (var map in new[] { users, anonymous })
            foreach (var key in map.Where(e => e.Value == mergedId).Select(e => e.Key).ToList())
                map[key] = survivorId;
        if (Touched.Remove(mergedId)) Touched.Add(survivorId);
        for (var i = 0; i < pending.Count; i++)
            if (pending[i].PersonId == mergedId) pending[i] = pending[i] with { PersonId = survivorId };
    }

    /// <summary>The campaign a utm_campaign names, resolved once per batch (a batch's tagged visits mostly share a few).</summary>
    public async Task<long> CampaignAsync(string utmCampaign, string? channel)
    {
        if (campaigns.TryGetValue(utmCampaign, out var id)) return id;
        return campaigns[utmCampaign] = await CampaignStore.ResolveAsync(C, Tx, utmCampaign, channel, Now);
    }

    /// <summary>A message stored before, or already seen in this batch.</summary>
    public bool IsDuplicate(string? messageId) => messageId is not null && (storedBefore.Contains(messageId) || !seen.Add(messageId));

    /// <summary>Queues an activity; all of the batch's activities are inserted together at the end.</summary>
    public void Append(NewActivity activity) => pending.Add(activity);

    /// <summary>The batch's queued, still unattributed, tagged visits of a visitor.</summary>
    public IEnumerable<(long OccurredAt, string Properties)> PendingTagged(string anonymousId) =>
        pending.Where(a => a.AnonymousId == anonymousId && a.PersonId is null && a.Channel is not null).Select(a => (a.OccurredAt, a.Properties));

    /// <summary>Gives a visitor's queued, unattributed activities to the person they turned out to be.</summary>
    public int AdoptPending(string anonymousId, long personId)
    {
        var adopted = 0;
        for (var i = 0; i < pending.Count; i++)
            if (pending[i].AnonymousId == anonymousId && pending[i].PersonId is null) { pending[i] = pending[i] with { PersonId = personId }; adopted++; }
        return adopted;
    }

    /// <summary>
    /// Inserts the queued activities (see <see cref="IngestStorage.InsertActivitiesAsync"/>).
    /// Returns how many turned out to be stored already (a concurrent delivery of the same message).
    /// </summary>
    public async Task<int> FlushActivitiesAsync()
    {
        if (pending.Count == 0) return 0;
        // Each distinct kind of activity is described once, so scoring can evaluate it once (see ActivitySignature).
        foreach (var kind in pending.DistinctBy(a => a.Signature)) await ActivitySignature.RememberAsync(C, Tx, kind.Signature, kind);
        var inserted = await storage.InsertActivitiesAsync(C, Tx, pending);
        var raced = pending.Count - inserted;
        pending.Clear();
        return raced;
    }
}

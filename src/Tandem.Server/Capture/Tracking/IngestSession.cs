using System.Data.Common;
using Dapper;
using Tandem.Server.Activities;
using Tandem.Server.Storage;

namespace Tandem.Server.Capture.Tracking;

/// <summary>
/// Per-request state of tracking ingestion: one prepared insert, and the people behind the batch's
/// userIds and anonymousIds — looked up with one query each for the whole batch, then kept as the
/// batch links and creates people.
/// </summary>
internal sealed class IngestSession(DbConnection c, DbTransaction tx, long now)
{
    private readonly Dictionary<string, long?> users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long?> anonymous = new(StringComparer.Ordinal);
    private DbCommand? insert;

    /// <summary>People whose activity changed in this request, announced once at the end.</summary>
    public HashSet<long> Touched { get; } = [];

    public DbConnection C { get; } = c;
    public DbTransaction Tx { get; } = tx;
    public long Now { get; } = now;

    /// <summary>Loads who every userId and anonymousId in the batch belongs to, in two queries.</summary>
    public async Task PrefetchAsync(IReadOnlyList<TrackedMessage> messages)
    {
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
        if (C is Npgsql.NpgsqlConnection) await LockPeopleToUpdateAsync(messages);
    }

    /// <summary>
    /// PostgreSQL: concurrent batches about the same people would otherwise lock them one by one in
    /// message order and could deadlock (each holding a person the other needs, until PostgreSQL
    /// aborts one after a second). Locking every known person this batch will update, in id order,
    /// before touching any, makes overlapping batches queue instead.
    /// </summary>
    private async Task LockPeopleToUpdateAsync(IReadOnlyList<TrackedMessage> messages)
    {
        var ids = new SortedSet<long>();
        foreach (var m in messages)
        {
            if (m.Type is not ("identify" or "group" or "alias") && m.Touch is null) continue; // only an activity row: no person update
            if (m.UserId is { } u && users.GetValueOrDefault(u) is { } byUser) ids.Add(byUser);
            if (m.AnonymousId is { } a && anonymous.GetValueOrDefault(a) is { } byVisitor) ids.Add(byVisitor);
        }
        if (ids.Count > 0)
            await C.ExecuteAsync("SELECT id FROM people WHERE id = ANY(@ids) ORDER BY id FOR NO KEY UPDATE", new { ids = ids.ToArray() }, Tx);
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
    }

    /// <summary>The hot path: one prepared statement reused for every event in the batch.</summary>
    private readonly HashSet<long> signatures = [];

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

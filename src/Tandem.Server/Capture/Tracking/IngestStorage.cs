using System.Data.Common;
using Tandem.Server.Activities;
using Tandem.Server.Storage;

namespace Tandem.Server.Capture.Tracking;

/// <summary>
/// Where tracking ingestion behaves differently on the two engines, not only spells differently: PostgreSQL
/// lets batches ingest side by side, so a batch locks what it will touch in one global order before it
/// starts, and sends its activities in one round trip; SQLite's single writer runs one batch at a time in
/// process, so it locks nothing and inserts one prepared row after another. The variants sit side by side
/// (<see cref="PostgresIngestStorage"/>, <see cref="SqliteIngestStorage"/>) and are chosen here.
/// </summary>
internal abstract class IngestStorage
{
    public static IngestStorage For(DbConnection c) => SqlDialect.Of(c).Provider switch
    {
        DatabaseProvider.Postgres => PostgresIngestStorage.Instance,
        _ => SqliteIngestStorage.Instance,
    };

    /// <summary>Before the batch looks anyone up: waits for other batches naming the same identities.</summary>
    public abstract Task LockIdentitiesAsync(DbConnection c, DbTransaction tx, IReadOnlyList<TrackedMessage> messages);

    /// <summary>
    /// Before the batch updates anyone: locks the people it will update. <paramref name="personIds"/> is only
    /// enumerated by an engine that locks, so it may be computed lazily.
    /// </summary>
    public abstract Task LockPeopleAsync(DbConnection c, DbTransaction tx, IEnumerable<long> personIds);

    /// <summary>Inserts the activities; returns how many were new (the rest were stored already, by a concurrent delivery).</summary>
    public abstract Task<int> InsertActivitiesAsync(DbConnection c, DbTransaction tx, IReadOnlyList<NewActivity> activities);

    protected const string InsertSql = ActivityStore.InsertSql + " ON CONFLICT (message_id) DO NOTHING RETURNING id";

    /// <summary>The insert's parameters, in the same order for every activity.</summary>
    protected static IEnumerable<(string Name, object Value)> Values(NewActivity a)
    {
        yield return ("PersonId", (object?)a.PersonId ?? DBNull.Value);
        yield return ("AnonymousId", (object?)a.AnonymousId ?? DBNull.Value);
        yield return ("Type", a.Type);
        yield return ("OccurredAt", a.OccurredAt);
        yield return ("ReceivedAt", a.ReceivedAt);
        yield return ("MessageId", (object?)a.MessageId ?? DBNull.Value);
        yield return ("Source", a.Source);
        yield return ("Channel", (object?)a.Channel ?? DBNull.Value);
        yield return ("CampaignId", (object?)a.CampaignId ?? DBNull.Value);
        yield return ("Properties", a.Properties);
        yield return ("Signature", a.Signature);
    }
}

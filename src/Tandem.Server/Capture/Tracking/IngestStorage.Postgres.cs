using System.Data.Common;
using Dapper;
using Tandem.Server.Activities;

namespace Tandem.Server.Capture.Tracking;

/// <summary>PostgreSQL: batches run side by side, so each locks ahead in one global order and inserts in one round trip.</summary>
internal sealed class PostgresIngestStorage : IngestStorage
{
    public static readonly PostgresIngestStorage Instance = new();

    public override Task LockIdentitiesAsync(DbConnection c, DbTransaction tx, IReadOnlyList<TrackedMessage> messages) =>
        IdentityLocks.AcquireAsync(c, tx, messages);

    /// <summary>
    /// Concurrent batches about the same people would otherwise lock them one by one in message order and
    /// could deadlock (each holding a person the other needs, until PostgreSQL aborts one after a second).
    /// Locking every known person the batch will update, in id order, before touching any, makes
    /// overlapping batches queue instead.
    /// </summary>
    public override async Task LockPeopleAsync(DbConnection c, DbTransaction tx, IEnumerable<long> personIds)
    {
        var ids = personIds.Distinct().Order().ToArray();
        if (ids.Length > 0)
            await c.ExecuteAsync("SELECT id FROM people WHERE id = ANY(@ids) ORDER BY id FOR NO KEY UPDATE", new { ids }, tx);
    }

    /// <summary>One round trip: a batch of the same insert, one command per activity.</summary>
    public override async Task<int> InsertActivitiesAsync(DbConnection c, DbTransaction tx, IReadOnlyList<NewActivity> activities)
    {
        await using var batch = c.CreateBatch();
        batch.Transaction = tx;
        foreach (var a in activities)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = InsertSql;
            foreach (var (name, value) in Values(a))
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }
            batch.BatchCommands.Add(command);
        }
        var inserted = 0;
        await using var reader = await batch.ExecuteReaderAsync();
        do { while (await reader.ReadAsync()) inserted++; } while (await reader.NextResultAsync());
        return inserted;
    }
}

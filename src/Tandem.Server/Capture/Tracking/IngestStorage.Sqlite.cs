using System.Data.Common;
using Tandem.Server.Activities;

namespace Tandem.Server.Capture.Tracking;

/// <summary>
/// SQLite: the single writer already runs one batch at a time, so nothing is locked ahead; in process there are
/// no round trips to save, so one prepared insert runs once per activity.
/// </summary>
internal sealed class SqliteIngestStorage : IngestStorage
{
    public static readonly SqliteIngestStorage Instance = new();

    public override Task LockIdentitiesAsync(DbConnection c, DbTransaction tx, IReadOnlyList<TrackedMessage> messages) => Task.CompletedTask;

    public override Task LockPeopleAsync(DbConnection c, DbTransaction tx, IEnumerable<long> personIds) => Task.CompletedTask;

    public override async Task<int> InsertActivitiesAsync(DbConnection c, DbTransaction tx, IReadOnlyList<NewActivity> activities)
    {
        if (activities.Count == 0) return 0;
        await using var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = InsertSql;
        foreach (var (name, _) in Values(activities[0]))
        {
            var p = insert.CreateParameter();
            p.ParameterName = name;
            insert.Parameters.Add(p);
        }
        var inserted = 0;
        foreach (var a in activities)
        {
            var i = 0;
            foreach (var (_, value) in Values(a)) insert.Parameters[i++].Value = value;
            if (await insert.ExecuteScalarAsync() is not (null or DBNull)) inserted++;
        }
        return inserted;
    }
}

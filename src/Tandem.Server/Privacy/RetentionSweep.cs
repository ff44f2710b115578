using System.Data.Common;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Privacy;

internal sealed record RetentionResult(long Activities, long Deliveries, long Notifications, long ImportErrors);

/// <summary>
/// Deletes what the retention policy no longer keeps, a bounded batch per transaction so a first run over years of
/// history never holds the database for long. Running it twice, or on two servers at once, deletes nothing twice.
/// </summary>
internal sealed class RetentionSweep(Database db, TimeProvider clock)
{
    private const int Batch = 2000;
    private const long DayMs = 24L * 60 * 60 * 1000;

    public async Task<RetentionResult> RunAsync(CancellationToken ct = default)
    {
        var policy = await db.ReadAsync(c => RetentionSettings.ReadAsync(c, null), ct);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        long activities = 0, deliveries = 0, notifications = 0, errors = 0;
        if (policy.ActivitiesDays is { } a) activities = await UntilDoneAsync((c, tx) => ActivitiesAsync(c, tx, now - a * DayMs), ct);
        if (policy.DeliveryLogsDays is { } d)
        {
            deliveries = await UntilDoneAsync((c, tx) => DeliveriesAsync(c, tx, now - d * DayMs), ct);
            notifications = await UntilDoneAsync((c, tx) => NotificationsAsync(c, tx, now - d * DayMs), ct);
        }
        if (policy.ImportErrorsDays is { } i) errors = await UntilDoneAsync((c, tx) => ImportErrorsAsync(c, tx, now - i * DayMs), ct);
        return new RetentionResult(activities, deliveries, notifications, errors);
    }

    private async Task<long> UntilDoneAsync(Func<DbConnection, DbTransaction, Task<(int Deleted, bool More)>> batch, CancellationToken ct)
    {
        long total = 0;
        while (true)
        {
            var (deleted, more) = await db.WriteAsync(batch, ct);
            total += deleted;
            if (!more) return total;
        }
    }

    private static async Task<(int Deleted, bool More)> ActivitiesAsync(DbConnection c, DbTransaction tx, long before)
    {
        var ids = (await c.QueryAsync<long>("SELECT id FROM activities WHERE occurred_at < @before ORDER BY id LIMIT @Batch", new { before, Batch }, tx)).ToArray();
        if (ids.Length == 0) return (0, false);
        var d = SqlDialect.Of(c);
        var (inIds, value) = d.InIdList("id", "@ids", ids);
        var signatures = (await c.QueryAsync<long>($"SELECT DISTINCT signature FROM activities WHERE {inIds} AND signature IS NOT NULL", new { ids = value }, tx)).ToArray();
        var deleted = await c.ExecuteAsync($"DELETE FROM activities WHERE {inIds}", new { ids = value }, tx);
        // Signatures carry activities' properties: one that no kept activity shares goes with them.
        var (inSignatures, signatureValue) = d.InIdList("signature", "@signatures", signatures);
        await c.ExecuteAsync($"DELETE FROM activity_signatures WHERE {inSignatures} AND NOT EXISTS " +
                             "(SELECT 1 FROM activities a WHERE a.signature = activity_signatures.signature)", new { signatures = signatureValue }, tx);
        return (deleted, ids.Length == Batch);
    }

    /// <summary>Finished deliveries (sent or given up); one still pending is work, not a log.</summary>
    private static async Task<(int Deleted, bool More)> DeliveriesAsync(DbConnection c, DbTransaction tx, long before)
    {
        var ids = (await c.QueryAsync<long>("SELECT id FROM notification_deliveries WHERE created_at < @before AND status <> 'pending' ORDER BY id LIMIT @Batch",
            new { before, Batch }, tx)).ToArray();
        if (ids.Length == 0) return (0, false);
        var d = SqlDialect.Of(c);
        var (inDeliveries, value) = d.InIdList("delivery_id", "@ids", ids);
        await c.ExecuteAsync($"DELETE FROM delivery_attempts WHERE {inDeliveries}", new { ids = value }, tx);
        return (await c.ExecuteAsync($"DELETE FROM notification_deliveries WHERE {d.InIdList("id", "@ids", ids).Condition}", new { ids = value }, tx), ids.Length == Batch);
    }

    /// <summary>Processed notifications whose deliveries are all gone: their payloads are the rest of the log.</summary>
    private static async Task<(int Deleted, bool More)> NotificationsAsync(DbConnection c, DbTransaction tx, long before)
    {
        var ids = (await c.QueryAsync<long>(
            "SELECT n.id FROM notifications n WHERE n.created_at < @before AND n.processed_at IS NOT NULL " +
            "AND NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.notification_id = n.id) ORDER BY n.id LIMIT @Batch", new { before, Batch }, tx)).ToArray();
        if (ids.Length == 0) return (0, false);
        var (inIds, value) = SqlDialect.Of(c).InIdList("id", "@ids", ids);
        return (await c.ExecuteAsync($"DELETE FROM notifications WHERE {inIds}", new { ids = value }, tx), ids.Length == Batch);
    }

    private static async Task<(int Deleted, bool More)> ImportErrorsAsync(DbConnection c, DbTransaction tx, long before)
    {
        var jobs = (await c.QueryAsync<long>(
            "SELECT j.id FROM import_jobs j WHERE j.finished_at < @before AND EXISTS (SELECT 1 FROM import_job_errors e WHERE e.job_id = j.id) ORDER BY j.id LIMIT 20",
            new { before }, tx)).ToArray();
        if (jobs.Length == 0) return (0, false);
        var (inJobs, value) = SqlDialect.Of(c).InIdList("job_id", "@ids", jobs);
        // A job's report goes whole: a report with its first rows missing would read as a different import.
        return (await c.ExecuteAsync($"DELETE FROM import_job_errors WHERE {inJobs}", new { ids = value }, tx), jobs.Length == 20);
    }
}

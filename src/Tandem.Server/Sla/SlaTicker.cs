using System.Data.Common;
using Dapper;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Sla;

internal sealed record SlaTickResult(int RemindersSent, int Breaches);

/// <summary>
/// Fires due reminders and breaches. Each batch is claimed and acted on in one transaction: the claim is an
/// UPDATE that only succeeds for rows nobody claimed yet (PostgreSQL: FOR UPDATE SKIP LOCKED), so two servers sharing
/// one database never fire the same clock twice, and a crash mid-batch rolls the claim back for the next tick.
/// </summary>
internal sealed class SlaTicker(Database db, Consequences consequences, TimeProvider clock, SlaBreachRecorder breaches)
{
    private const int Batch = 100;

    public async Task<SlaTickResult> TickAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        int reminders = 0, breached = 0, n;
        do reminders += n = await db.WriteAsync((c, tx) => RemindAsync(c, tx, now), ct); while (n == Batch);
        do breached += n = await consequences.WriteAsync((c, tx) => BreachAsync(c, tx, now), ct); while (n == Batch);
        return new SlaTickResult(reminders, breached);
    }

    private static async Task<int> RemindAsync(DbConnection c, DbTransaction tx, long now)
    {
        var skipLocked = SqlDialect.Of(c).ForUpdateSkipLocked(of: "r");
        var claimed = (await c.QueryAsync<(long ClockId, long Percent)>(
            "UPDATE sla_reminders SET sent_at = @now WHERE sent_at IS NULL AND id IN (" +
            "SELECT r.id FROM sla_reminders r JOIN sla_clocks k ON k.id = r.clock_id " +
            "WHERE r.sent_at IS NULL AND r.due_at <= @now AND k.stopped_at IS NULL AND k.breached_at IS NULL AND k.due_at > @now " +
            $"ORDER BY r.due_at LIMIT @Batch{skipLocked}) RETURNING clock_id, percent", new { now, Batch }, tx)).ToList();
        foreach (var (clockId, percent) in claimed)
        {
            var k = await c.QuerySingleAsync<ClockRow>("SELECT * FROM sla_clocks WHERE id = @clockId", new { clockId }, tx);
            var policy = await c.ExecuteScalarAsync<string>("SELECT name FROM sla_policies WHERE id = @PolicyId", new { k.PolicyId }, tx);
            var payload = Json.Write(new
            {
                clockId, kind = k.Kind, percent, policyId = k.PolicyId, policy, ownerUserId = k.OwnerUserId,
                dueAt = DateTimeOffset.FromUnixTimeMilliseconds(k.DueAt),
            });
            await SlaBreachRecorder.NotifyAsync(c, tx, Notifications.InApp.SlaEvents.Reminder, k.PersonId, k.OwnerUserId, payload, now);
        }
        return claimed.Count;
    }

    private async Task<int> BreachAsync(DbConnection c, DbTransaction tx, long now)
    {
        // A lead merged into another is no longer anyone's to work: its due clocks end quietly (the survivor keeps its own).
        await c.ExecuteAsync(
            "UPDATE sla_clocks SET stopped_at = @now, stop_reason = 'merged', released_at = COALESCE(released_at, @now) " +
            "WHERE stopped_at IS NULL AND breached_at IS NULL AND due_at <= @now " +
            "AND person_id IN (SELECT id FROM people WHERE merged_into_id IS NOT NULL)", new { now }, tx);
        var skipLocked = SqlDialect.Of(c).ForUpdateSkipLocked();
        var claimed = (await c.QueryAsync<ClockRow>(
            "UPDATE sla_clocks SET breached_at = @now WHERE breached_at IS NULL AND stopped_at IS NULL AND id IN (" +
            "SELECT id FROM sla_clocks WHERE stopped_at IS NULL AND breached_at IS NULL AND due_at <= @now " +
            $"ORDER BY due_at LIMIT @Batch{skipLocked}) RETURNING *", new { now, Batch }, tx)).OrderBy(k => k.DueAt).ThenBy(k => k.Id).ToList();
        foreach (var k in claimed)
        {
            await breaches.RecordAsync(c, tx, k, now, mayReassign: true);
            // A reassignment's consequences (the old owner's clocks released, the new owner's started) land before the next breach is judged.
            await consequences.DispatchAsync(c, tx);
        }
        return claimed.Count;
    }
}

using System.Data.Common;
using Dapper;

namespace Tandem.Server.Notifications;

/// <summary>A delivery claimed by this server, with everything needed to send it.</summary>
internal sealed class ClaimedDelivery
{
    public long Id { get; set; }
    public long NotificationId { get; set; }
    public string Channel { get; set; } = "";
    public long? SubscriptionId { get; set; }
    public string Recipient { get; set; } = "";
    public int Attempts { get; set; }
    public string Event { get; set; } = "";
    public string Payload { get; set; } = "{}";
    public long? UserId { get; set; }
    public long CreatedAt { get; set; }
    public string? Secret { get; set; }
}

/// <summary>
/// Claims due deliveries for one server for a lease, and records each attempt. A claim is a column
/// (claimed_by, claimed_until) set inside a transaction that, on PostgreSQL, skips rows another server has locked;
/// a server that dies mid-send loses its lease and another server retries — deliveries are at least once.
/// </summary>
internal static class DeliveryClaims
{
    public static async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(DbConnection c, DbTransaction tx, string me, long now, long leaseUntil, int batch)
    {
        var ids = (await c.QueryAsync<long>(
            "SELECT id FROM notification_deliveries WHERE status = 'pending' AND next_attempt_at <= @now " +
            "AND (claimed_until IS NULL OR claimed_until < @now) ORDER BY next_attempt_at, id LIMIT @batch" +
            Storage.SqlDialect.Of(c).ForUpdateSkipLocked(), new { now, batch }, tx)).ToArray();
        if (ids.Length == 0) return [];
        await c.ExecuteAsync($"UPDATE notification_deliveries SET claimed_by = @me, claimed_until = @leaseUntil WHERE {Storage.Sql.In(c, "id", "@ids")}",
            new { me, leaseUntil, ids }, tx);
        return (await c.QueryAsync<ClaimedDelivery>(
            "SELECT d.id, d.notification_id, d.channel, d.subscription_id, d.recipient, d.attempts, n.event, n.payload, n.user_id, n.created_at, s.secret " +
            "FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id " +
            $"LEFT JOIN webhook_subscriptions s ON s.id = d.subscription_id WHERE {Storage.Sql.In(c, "d.id", "@ids")} ORDER BY d.id",
            new { ids }, tx)).ToList();
    }

    /// <summary>Records an attempt; only the server holding the claim may, so a late reply after a lost lease changes nothing.</summary>
    public static async Task RecordAsync(DbConnection c, DbTransaction tx, ClaimedDelivery d, string me, long at, long durationMs, int? statusCode,
        string? error, NotificationOptions options)
    {
        var attempt = d.Attempts + 1;
        var ok = error is null;
        var status = ok ? "delivered" : attempt >= options.MaxAttempts ? "failed" : "pending";
        var next = ok ? at : at + (long)options.Backoff(attempt).TotalMilliseconds;
        var updated = await c.ExecuteAsync(
            "UPDATE notification_deliveries SET status = @status, attempts = @attempt, next_attempt_at = @next, claimed_by = NULL, claimed_until = NULL, " +
            "last_status_code = @statusCode, last_error = @error, delivered_at = @deliveredAt WHERE id = @Id AND claimed_by = @me",
            new { status, attempt, next, statusCode, error, deliveredAt = ok ? at : (long?)null, d.Id, me }, tx);
        if (updated == 0) return;
        await c.ExecuteAsync(
            "INSERT INTO delivery_attempts (delivery_id, attempt, attempted_at, duration_ms, status_code, error, claimed_by) " +
            "VALUES (@Id, @attempt, @at, @durationMs, @statusCode, @error, @me)", new { d.Id, attempt, at, durationMs, statusCode, error, me }, tx);
    }
}

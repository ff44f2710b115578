using System.Data.Common;
using Dapper;
using Tandem.Server.Notifications.InApp;
using Tandem.Server.Storage;

namespace Tandem.Server.Notifications;

/// <summary>
/// Turns new outbox rows into one delivery per destination: every webhook subscription whose events match, and the
/// email of the user the notification is for when SMTP is configured and the user wants that kind by email. On PostgreSQL the rows are taken with
/// FOR UPDATE SKIP LOCKED, so two servers fanning out at once split the work instead of doubling it.
/// </summary>
internal static class OutboxFanOut
{
    public const string Webhook = "webhook";
    public const string Email = "email";

    public static async Task<int> RunAsync(DbConnection c, DbTransaction tx, bool emailEnabled, long now, int batch = 200)
    {
        var pending = (await c.QueryAsync<(long Id, string Event, long? UserId)>(
            "SELECT id, event, user_id FROM notifications WHERE processed_at IS NULL ORDER BY id LIMIT @batch" +
            SqlDialect.Of(c).ForUpdateSkipLocked(), new { batch }, tx)).ToList();
        if (pending.Count == 0) return 0;
        var subscriptions = (await c.QueryAsync<(long Id, string Url, string Events)>(
            "SELECT id, url, events FROM webhook_subscriptions WHERE deleted_at IS NULL", transaction: tx)).ToList();

        foreach (var n in pending)
        {
            foreach (var s in subscriptions.Where(s => EventFilter.Matches(Json.Read(s.Events, new List<string>()), n.Event)))
                await InsertAsync(c, tx, n.Id, Webhook, s.Id, s.Url, now);
            if (emailEnabled && n.UserId is { } userId &&
                (await NotificationPreferences.ForAsync(c, tx, userId, NotificationKinds.Of(n.Event))).Email &&
                await c.QuerySingleOrDefaultAsync<string>("SELECT email FROM users WHERE id = @userId AND active = 1", new { userId }, tx) is { } email)
                await InsertAsync(c, tx, n.Id, Email, null, email, now);
        }
        var ids = pending.Select(p => p.Id).ToArray();
        await c.ExecuteAsync($"UPDATE notifications SET processed_at = @now WHERE {Sql.In(c, "id", "@ids")}", new { now, ids }, tx);
        return pending.Count;
    }

    private static Task InsertAsync(DbConnection c, DbTransaction tx, long notificationId, string channel, long? subscriptionId, string recipient, long now) =>
        c.ExecuteAsync(
            "INSERT INTO notification_deliveries (notification_id, channel, subscription_id, recipient, status, attempts, next_attempt_at, created_at) " +
            "VALUES (@notificationId, @channel, @subscriptionId, @recipient, 'pending', 0, @now, @now)",
            new { notificationId, channel, subscriptionId, recipient, now }, tx);
}

/// <summary>A subscription's events: exact names ("lead.assigned"), a family ("lead.*") or everything ("*").</summary>
internal static class EventFilter
{
    public static bool Matches(IReadOnlyList<string> filters, string @event) =>
        filters.Any(f => f == "*" || f == @event || (f.EndsWith(".*", StringComparison.Ordinal) && @event.StartsWith(f[..^1], StringComparison.Ordinal)));
}

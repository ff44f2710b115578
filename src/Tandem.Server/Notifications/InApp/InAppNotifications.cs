using System.Data.Common;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Notifications.InApp;

/// <summary>One notification in a user's list, with its words and where it leads.</summary>
internal sealed record InAppItem(long Id, string Kind, string Event, string Title, string? Detail, string Link, DateTimeOffset At, bool Read);

/// <summary>A page of a user's notifications, newest first; <see cref="Older"/> is the id to page on from, if there are more.</summary>
internal sealed record InAppPage(IReadOnlyList<InAppItem> Items, long Unread, long? Older);

/// <summary>
/// The in-app channel: the rows behind the bell. One is written with its outbox notification, in the same transaction,
/// when the user wants that kind in the app; read and unread are the user's own marks.
/// </summary>
internal static class InAppNotifications
{
    public const int PageSize = 30;

    /// <summary>Called by the outbox for a notification addressed to a user.</summary>
    public static async Task AddAsync(DbConnection c, DbTransaction tx, long notificationId, long userId, string @event, long now)
    {
        var kind = NotificationKinds.Of(@event);
        if (!(await NotificationPreferences.ForAsync(c, tx, userId, kind)).InApp) return;
        await c.ExecuteAsync("INSERT INTO user_notifications (user_id, notification_id, kind, created_at) VALUES (@userId, @notificationId, @kind, @now)",
            new { userId, notificationId, kind, now }, tx);
    }

    public static Task<long> UnreadAsync(DbConnection c, long userId) =>
        c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM user_notifications WHERE user_id = @userId AND read_at IS NULL", new { userId });

    public static async Task<InAppPage> PageAsync(DbConnection c, long userId, bool unreadOnly, long? before, int take = PageSize)
    {
        var rows = (await c.QueryAsync<Row>(
            "SELECT u.id, u.kind, u.created_at, u.read_at, n.event, n.payload, n.person_id, p.first_name, p.last_name, p.email " +
            "FROM user_notifications u JOIN notifications n ON n.id = u.notification_id LEFT JOIN people p ON p.id = n.person_id " +
            "WHERE u.user_id = @userId AND (@unreadOnly = 0 OR u.read_at IS NULL) AND (@before IS NULL OR u.id < @before) " +
            "ORDER BY u.id DESC LIMIT @limit", new { userId, unreadOnly = unreadOnly ? 1 : 0, before, limit = take + 1 })).ToList();
        var items = rows.Take(take).Select(r =>
        {
            var name = string.Join(' ', new[] { r.FirstName, r.LastName }.Where(x => !string.IsNullOrWhiteSpace(x)));
            var words = InAppText.For(r.Event, r.Payload, userId, r.PersonId, name.Length > 0 ? name : r.Email);
            return new InAppItem(r.Id, r.Kind, r.Event, words.Title, words.Detail, words.Link, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), r.ReadAt is not null);
        }).ToList();
        return new InAppPage(items, await UnreadAsync(c, userId), rows.Count > take ? items[^1].Id : null);
    }

    /// <returns>The notification's link, or null when the user has no such notification.</returns>
    public static async Task<string?> MarkAsync(DbConnection c, DbTransaction tx, long userId, long id, bool read, long now)
    {
        var updated = await c.ExecuteAsync(
            "UPDATE user_notifications SET read_at = CASE WHEN @read = 1 THEN COALESCE(read_at, @now) ELSE NULL END WHERE id = @id AND user_id = @userId",
            new { id, userId, read = read ? 1 : 0, now }, tx);
        if (updated == 0) return null;
        var n = await c.QuerySingleAsync<(string Event, string Payload, long? PersonId)>(
            "SELECT n.event, n.payload, n.person_id FROM user_notifications u JOIN notifications n ON n.id = u.notification_id WHERE u.id = @id",
            new { id }, tx);
        return InAppText.For(n.Event, n.Payload, userId, n.PersonId, null).Link;
    }

    public static Task<int> MarkAllReadAsync(DbConnection c, DbTransaction tx, long userId, long now) =>
        c.ExecuteAsync("UPDATE user_notifications SET read_at = @now WHERE user_id = @userId AND read_at IS NULL", new { userId, now }, tx);

    private sealed class Row
    {
        public long Id { get; set; }
        public string Kind { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? ReadAt { get; set; }
        public string Event { get; set; } = "";
        public string Payload { get; set; } = "{}";
        public long? PersonId { get; set; }
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Email { get; set; }
    }
}

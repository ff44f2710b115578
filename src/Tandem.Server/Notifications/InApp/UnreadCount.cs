using Tandem.Server.Storage;

namespace Tandem.Server.Notifications.InApp;

/// <summary>The bell's number: how many of a user's notifications are unread.</summary>
internal sealed class UnreadCount(Database db)
{
    public Task<long> ForAsync(long userId, CancellationToken ct = default) => db.ReadAsync(c => InAppNotifications.UnreadAsync(c, userId), ct);
}

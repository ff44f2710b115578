using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Web.People;

internal sealed record SavedView(long Id, long UserId, string Name, string Query, bool Shared, string OwnerName);

/// <summary>Named filters of the people list. A shared view shows each viewer only the leads their role allows.</summary>
internal sealed class SavedViewStore(Database db, TimeProvider clock)
{
    public const int MaxNameLength = 80;

    public async Task<IReadOnlyList<SavedView>> VisibleToAsync(long userId, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<Row>(
            "SELECT v.*, u.name AS owner_name FROM saved_views v JOIN users u ON u.id = v.user_id " +
            "WHERE v.user_id = @userId OR v.shared = 1 ORDER BY v.name, v.id", new { userId }), ct))
        .Select(r => r.ToView()).ToList();

    /// <summary>Saves the filter under a name; saving again under the same name replaces that view's filter.</summary>
    public Task SaveAsync(long userId, string name, PeopleListAddress address, bool shared, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var args = new { userId, name, query = address.ToQueryString(), shared = shared ? 1 : 0, now = clock.GetUtcNow().ToUnixTimeMilliseconds() };
            var updated = await c.ExecuteAsync("UPDATE saved_views SET query = @query, shared = @shared WHERE user_id = @userId AND name = @name", args, tx);
            if (updated == 0)
                await c.ExecuteAsync("INSERT INTO saved_views (user_id, name, query, shared, created_at) VALUES (@userId, @name, @query, @shared, @now)", args, tx);
        }, ct);

    /// <summary>Only the view's owner may delete it; returns false when there was no such view of theirs.</summary>
    public async Task<bool> DeleteAsync(long userId, long viewId, CancellationToken ct) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync("DELETE FROM saved_views WHERE id = @viewId AND user_id = @userId", new { viewId, userId }, tx), ct) > 0;

    private sealed class Row
    {
        public long Id { get; set; }
        public long UserId { get; set; }
        public string Name { get; set; } = "";
        public string Query { get; set; } = "";
        public long Shared { get; set; }
        public string OwnerName { get; set; } = "";
        public SavedView ToView() => new(Id, UserId, Name, Query, Shared != 0, OwnerName);
    }
}

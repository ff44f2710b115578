using System.Data.Common;
using Dapper;

namespace Tandem.Server.Notifications.InApp;

/// <summary>Where a user wants one kind of notification. Without a choice of their own, a user gets both.</summary>
internal sealed record Channels(bool InApp, bool Email)
{
    public static readonly Channels Both = new(true, true);

    /// <summary>The form's words for a choice: both, in_app, email or none.</summary>
    public string Code => (InApp, Email) switch { (true, true) => "both", (true, false) => "in_app", (false, true) => "email", _ => "none" };

    public static Channels? FromCode(string? code) => code switch
    {
        "both" => Both,
        "in_app" => new(true, false),
        "email" => new(false, true),
        "none" => new(false, false),
        _ => null,
    };
}

/// <summary>Each user's choice of channels per kind of notification.</summary>
internal static class NotificationPreferences
{
    public static async Task<Channels> ForAsync(DbConnection c, DbTransaction? tx, long userId, string kind)
    {
        var row = await c.QuerySingleOrDefaultAsync<Row>(
            "SELECT in_app, email FROM notification_preferences WHERE user_id = @userId AND kind = @kind", new { userId, kind }, tx);
        return row is null ? Channels.Both : new Channels(row.InApp != 0, row.Email != 0);
    }

    /// <summary>Every kind, with the user's choice or the default.</summary>
    public static async Task<IReadOnlyDictionary<string, Channels>> AllAsync(DbConnection c, long userId)
    {
        var rows = (await c.QueryAsync<(string Kind, long InApp, long Email)>(
            "SELECT kind, in_app, email FROM notification_preferences WHERE user_id = @userId", new { userId }))
            .ToDictionary(r => r.Kind, r => new Channels(r.InApp != 0, r.Email != 0));
        return NotificationKinds.All.ToDictionary(k => k.Code, k => rows.GetValueOrDefault(k.Code) ?? Channels.Both);
    }

    public static async Task SaveAsync(DbConnection c, DbTransaction tx, long userId, IReadOnlyDictionary<string, Channels> choices)
    {
        foreach (var (kind, channels) in choices)
            await c.ExecuteAsync(
                "INSERT INTO notification_preferences (user_id, kind, in_app, email) VALUES (@userId, @kind, @inApp, @email) " +
                "ON CONFLICT (user_id, kind) DO UPDATE SET in_app = excluded.in_app, email = excluded.email",
                new { userId, kind, inApp = channels.InApp ? 1 : 0, email = channels.Email ? 1 : 0 }, tx);
    }

    private sealed class Row
    {
        public long InApp { get; set; }
        public long Email { get; set; }
    }
}

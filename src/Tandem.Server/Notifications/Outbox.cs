using System.Data.Common;
using Dapper;
using Tandem.Server.Notifications.InApp;
using Tandem.Server.Storage;

namespace Tandem.Server.Notifications;

/// <summary>
/// Writes a notification in the caller's transaction. Delivery (webhooks, email) happens later, from the
/// committed row, so nobody is told about work that rolled back and nothing is lost if the server stops. A
/// notification addressed to a user who wants its kind in the app is put in their list here, in the same transaction.
/// </summary>
internal static class Outbox
{
    public const string LeadAssigned = "lead.assigned";
    public const string LeadUnassigned = "lead.unassigned";
    public const string LeadReplied = "lead.replied";

    public static Task<long> AddAsync(DbConnection c, DbTransaction tx, string @event, long? personId, long? userId, object payload, long now) =>
        AddJsonAsync(c, tx, @event, personId, userId, Json.Write(payload), now);

    /// <param name="payload">The payload, already written as JSON.</param>
    public static async Task<long> AddJsonAsync(DbConnection c, DbTransaction tx, string @event, long? personId, long? userId, string payload, long now)
    {
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO notifications (event, person_id, user_id, payload, created_at) VALUES (@event, @personId, @userId, @payload, @now) RETURNING id",
            new { @event, personId, userId, payload, now }, tx);
        if (userId is { } user) await InAppNotifications.AddAsync(c, tx, id, user, @event, now);
        return id;
    }
}

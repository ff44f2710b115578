using System.Data.Common;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Notifications;

/// <summary>
/// Writes a notification in the caller's transaction. Delivery (webhooks, email) happens later, from the
/// committed row, so nobody is told about work that rolled back and nothing is lost if the server stops.
/// </summary>
internal static class Outbox
{
    public const string LeadAssigned = "lead.assigned";
    public const string LeadUnassigned = "lead.unassigned";
    public const string LeadReplied = "lead.replied";

    public static Task<long> AddAsync(DbConnection c, DbTransaction tx, string @event, long? personId, long? userId, object payload, long now) =>
        c.ExecuteScalarAsync<long>(
            "INSERT INTO notifications (event, person_id, user_id, payload, created_at) VALUES (@event, @personId, @userId, @payload, @now) RETURNING id",
            new { @event, personId, userId, payload = Json.Write(payload), now }, tx);
}

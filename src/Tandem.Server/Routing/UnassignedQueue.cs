using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Storage;

namespace Tandem.Server.Routing;

/// <summary>The leads nobody could take (no rule matched, or nobody eligible and no fallback), oldest first.</summary>
internal static class UnassignedQueue
{
    public sealed record QueuedLeadDto(long PersonId, string? Email, string? Name, long? TeamId, string? TeamName, long DecisionId, string Reason,
        DateTimeOffset QueuedAt);

    public static async Task<Ok<IReadOnlyList<QueuedLeadDto>>> List(Database db, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<QueuedLeadDto>>((await db.ReadAsync(c => c.QueryAsync<Row>(
            "SELECT q.person_id, p.email, p.first_name, p.last_name, q.team_id, t.name AS team_name, q.decision_id, q.reason, q.queued_at " +
            "FROM routing_queue q JOIN people p ON p.id = q.person_id LEFT JOIN teams t ON t.id = q.team_id WHERE p.merged_into_id IS NULL " +
            "ORDER BY q.queued_at, q.person_id"), ct))
            .Select(r => new QueuedLeadDto(r.PersonId, r.Email, string.Join(' ', new[] { r.FirstName, r.LastName }.Where(n => n is not null)) is { Length: > 0 } n ? n : null,
                r.TeamId, r.TeamName, r.DecisionId, r.Reason, DateTimeOffset.FromUnixTimeMilliseconds(r.QueuedAt))).ToList());

    private sealed record Row(long PersonId, string? Email, string? FirstName, string? LastName, long? TeamId, string? TeamName, long DecisionId,
        string Reason, long QueuedAt);
}

using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Routing;

/// <summary>GET /api/v1/people/{id}/routing: who owns the lead, and every routing decision about it, newest first, with its explanation.</summary>
internal static class ExplainRouting
{
    public sealed record RoutingDto(long PersonId, long? OwnerId, string? OwnerName, long? TeamId, DateTimeOffset? AssignedAt, bool Unassigned,
        DecisionDto? Latest, IReadOnlyList<DecisionDto> Decisions);

    public static async Task<Results<Ok<RoutingDto>, ProblemHttpResult>> Handle(long id, Database db, CancellationToken ct) =>
        await db.ReadAsync<Results<Ok<RoutingDto>, ProblemHttpResult>>(async c =>
        {
            var person = await PersonStore.FindLiveAsync(c, null, id);
            if (person is null) return Problems.NotFound("Person", id);
            var decisions = await Decisions.ForPersonAsync(c, null, person.Id);
            var ownerName = person.OwnerId is { } o ? (await Users.UserStore.FindAsync(c, null, o))?.Name : null;
            var queued = await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT COUNT(*) FROM routing_queue WHERE person_id = @Id", new { person.Id }) > 0;
            return TypedResults.Ok(new RoutingDto(person.Id, person.OwnerId, ownerName, person.OwnerTeamId,
                person.OwnerAssignedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null, queued,
                decisions.FirstOrDefault(), decisions));
        }, ct);
}

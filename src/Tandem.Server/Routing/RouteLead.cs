using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Routing;

/// <summary>POST /api/v1/people/{id}/route: run the routing rules for a lead now (a re-route, or one that missed routing).</summary>
public static class RouteLead
{
    /// <param name="dryRun">Decide and explain, then roll everything back: who would get this lead now, and why.</param>
    public static async Task<Results<Ok<DecisionDto>, ProblemHttpResult>> Handle(long id, bool? dryRun, HttpContext http, Database db, LeadRouter router,
        CancellationToken ct)
    {
        var actor = Actors.Of(http.User);
        DecisionDto? decision;
        try
        {
            decision = await db.WriteAsync(async (c, tx) =>
            {
                var person = await PersonStore.FindLiveAsync(c, tx, id, forUpdate: true);
                if (person is null) return null;
                var routed = await router.RouteAsync(c, tx, person.Id, LeadRouter.Triggers.OnDemand, actor);
                var result = await Decisions.FindAsync(c, tx, routed!.DecisionId!.Value);
                // Throwing is how a unit of work rolls back: the owner, rotation, timeline and notifications are undone.
                if (dryRun == true) throw new DryRunRolledBack(result!);
                return result;
            }, ct);
        }
        catch (DryRunRolledBack rolledBack)
        {
            decision = rolledBack.Decision with { Id = 0 }; // nothing was stored
        }
        return decision is null ? Problems.NotFound("Person", id) : TypedResults.Ok(decision);
    }

    private sealed class DryRunRolledBack(DecisionDto decision) : Exception("A dry run's changes were rolled back.")
    {
        public DecisionDto Decision { get; } = decision;
    }
}

/// <summary>GET /api/v1/people/{id}/routing: who owns the lead, and every routing decision about it, newest first, with its explanation.</summary>
public static class ExplainRouting
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

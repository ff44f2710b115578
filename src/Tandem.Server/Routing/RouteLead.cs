using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Routing;

/// <summary>POST /api/v1/people/{id}/route: run the routing rules for a lead now (a re-route, or one that missed routing).</summary>
internal static class RouteLead
{
    /// <param name="dryRun">Decide and explain, then roll everything back: who would get this lead now, and why.</param>
    public static async Task<Results<Ok<DecisionDto>, ProblemHttpResult>> Handle(long id, bool? dryRun, HttpContext http, Consequences consequences, LeadRouter router,
        CancellationToken ct)
    {
        var actor = Actors.Of(http.User);
        DecisionDto? decision;
        try
        {
            decision = await consequences.WriteAsync(async (c, tx) =>
            {
                var person = await PersonStore.FindLiveAsync(c, tx, id, forUpdate: true);
                if (person is null) return null;
                var routed = await router.RouteAsync(c, tx, person.Id, LeadRouter.Triggers.OnDemand, actor);
                await consequences.DispatchAsync(c, tx); // a dry run rolls back the clocks and notifications too
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

using Tandem.Domain.Lifecycle;
using System.Data.Common;
using Dapper;
using Tandem.Domain.Routing;
using Tandem.Server.Activities;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Routing;

/// <summary>Who gets a lead, in which team, why and by whose hand.</summary>
/// <param name="Trigger">What asked: <see cref="LeadRouter.Triggers"/> for routing, <see cref="AssignOwner.ByHand"/> for a person's choice.</param>
/// <param name="Decision">The routing decision behind it (rule, method, reps skipped), when routing chose.</param>
internal sealed record OwnerChange(long UserId, long? TeamId, string Trigger, string Explanation, Actor By, long At, RoutingDecision? Decision = null);

/// <summary>
/// The one way a lead gets an owner — routing's choice, a person's choice (API or web app), an SLA breach's
/// reassignment, the demo's history: a routing decision with its explanation ("why did I get this lead"), the owner
/// and team on the person row, the lead out of the unassigned queue, one "assigned" fact on the timeline, and
/// <see cref="OwnerAssigned"/> raised (SLA clocks and notifications follow from it).
/// </summary>
internal sealed class AssignOwner(PersonEvents events)
{
    public const string ByHand = "manual";

    /// <returns>The routing decision's id.</returns>
    public async Task<long> AssignAsync(DbConnection c, DbTransaction tx, PersonRow person, OwnerChange change)
    {
        var previous = person.OwnerId;
        var decision = change.Decision;
        var decisionId = await Decisions.InsertAsync(c, tx, person.Id, previous, change.At, change.Trigger, decision?.Outcome ?? RoutingOutcome.Assigned,
            decision?.Rule, change.TeamId, change.UserId, change.Explanation, decision?.Skipped ?? [], change.By);

        person.OwnerId = change.UserId;
        person.OwnerTeamId = change.TeamId;
        person.OwnerAssignedAt = change.At;
        person.UpdatedAt = Math.Max(person.UpdatedAt, change.At);
        await c.ExecuteAsync(
            "UPDATE people SET owner_id = @OwnerId, owner_team_id = @OwnerTeamId, owner_assigned_at = @OwnerAssignedAt, updated_at = @UpdatedAt WHERE id = @Id",
            person, tx);
        await c.ExecuteAsync("DELETE FROM routing_queue WHERE person_id = @Id", person, tx);

        var names = await c.QuerySingleAsync<(string OwnerName, string? TeamName)>(
            "SELECT u.name, (SELECT t.name FROM teams t WHERE t.id = @teamId) FROM users u WHERE u.id = @userId",
            new { userId = change.UserId, teamId = change.TeamId }, tx);
        await ActivityStore.AppendAsync(c, tx, new NewActivity(person.Id, null, "assigned", change.At, change.At, ActivitySources.System,
            Json.Write(new AssignedFact(change.UserId, names.OwnerName, change.TeamId, names.TeamName, previous, decisionId, change.Trigger,
                change.Explanation, change.By.Name))));
        events.Raise(tx, new OwnerAssigned(person.Id, previous, change.UserId, change.TeamId, decisionId, change.Explanation, change.By));
        return decisionId;
    }
}

/// <summary>The "assigned" fact on a person's timeline: the same shape whoever assigned.</summary>
internal sealed record AssignedFact(long OwnerId, string OwnerName, long? TeamId, string? TeamName, long? PreviousOwnerId, long DecisionId,
    string Trigger, string Explanation, string By);

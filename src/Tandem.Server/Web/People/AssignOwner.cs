using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Activities;
using Tandem.Server.People;
using Tandem.Server.Storage;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Web.People;

/// <summary>
/// Hands selected leads to an owner by hand (a manager balancing the team, marketing ops fixing a queue).
/// The lead joins the owner's team, the timeline records who assigned it, and owner-assigned handlers run in the same transaction.
/// </summary>
public sealed class AssignOwner(Database db, PersonEvents events, TimeProvider clock)
{
    /// <returns>An error message, or null when every selected lead now has the owner.</returns>
    public async Task<(int Assigned, string? Error)> RunAsync(LeadScope scope, IReadOnlyCollection<long> personIds, long ownerId, Actor actor, CancellationToken ct)
    {
        if (!scope.CanAssign) return (0, "Only managers, marketing and admins assign leads.");
        if (personIds.Count == 0) return (0, "Select at least one lead.");
        if (personIds.Count > 1000) return (0, "Assign at most 1,000 leads at a time.");
        return await db.WriteAsync<(int, string?)>(async (c, tx) =>
        {
            var owner = (await scope.AssignableOwnersAsync(c, tx)).FirstOrDefault(u => u.Id == ownerId);
            if (owner is null) return (0, "Choose an active sales user you may assign to.");
            var teamId = await c.QueryFirstOrDefaultAsync<long?>(
                "SELECT team_id FROM team_members WHERE user_id = @ownerId ORDER BY team_id", new { ownerId }, tx);
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var people = new List<PersonRow>();
            foreach (var id in personIds.Distinct())
                if (await scope.FindAsync(c, tx, id) is { } p) people.Add(p);
                else return (0, $"Lead {id} does not exist or is not yours to assign; nothing was changed.");
            foreach (var person in people.Where(p => p.OwnerId != ownerId))
            {
                await c.ExecuteAsync(
                    "UPDATE people SET owner_id = @ownerId, owner_team_id = @teamId, owner_assigned_at = @now, updated_at = @now WHERE id = @id",
                    new { ownerId, teamId, now, id = person.Id }, tx);
                await ActivityStore.AppendAsync(c, tx, new NewActivity(person.Id, null, "assigned", now, now, ActivitySources.System,
                    Json.Write(new { from = person.OwnerId, to = ownerId, toName = owner.Name, by = actor.Name, why = "assigned by hand" })));
                await events.OwnerAssignedAsync(c, tx, person.Id, person.OwnerId, ownerId, teamId, actor);
            }
            return (people.Count, null);
        }, ct);
    }
}

using Tandem.Domain.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Routing;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Web.People;

/// <summary>
/// Hands selected leads to an owner by hand (a manager balancing the team, marketing ops fixing a queue), each through
/// the same <see cref="AssignByHand"/> the API uses. All or nothing: a lead the user may not assign changes none.
/// </summary>
internal sealed class AssignOwner(Consequences consequences, AssignByHand assign, TimeProvider clock)
{
    /// <returns>An error message, or null when every selected lead now has the owner.</returns>
    public async Task<(int Assigned, string? Error)> RunAsync(LeadScope scope, IReadOnlyCollection<long> personIds, long ownerId, Actor actor, CancellationToken ct)
    {
        if (!scope.CanAssign) return (0, "Only managers, marketing and admins assign leads.");
        if (personIds.Count == 0) return (0, "Select at least one lead.");
        if (personIds.Count > 1000) return (0, "Assign at most 1,000 leads at a time.");
        return await consequences.WriteAsync<(int, string?)>(async (c, tx) =>
        {
            var owner = (await scope.AssignableOwnersAsync(c, tx)).FirstOrDefault(u => u.Id == ownerId);
            if (owner is null) return (0, "Choose an active sales user you may assign to.");
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var people = new List<PersonRow>();
            foreach (var id in personIds.Distinct())
                if (await scope.FindAsync(c, tx, id) is { } p) people.Add(p);
                else return (0, $"Lead {id} does not exist or is not yours to assign; nothing was changed.");
            foreach (var person in people.Where(p => p.OwnerId != ownerId))
            {
                var outcome = await assign.AssignAsync(c, tx, person, new AssignByHand.Request(ownerId, null, null), actor, now);
                // The owner was checked above, so a refusal here is a bug: throwing rolls every lead back.
                if (outcome.Field is not null) throw new InvalidOperationException(outcome.Problem);
            }
            return (people.Count, null);
        }, ct);
    }
}

using System.Data.Common;
using Dapper;
using Tandem.Server.People;

namespace Tandem.Server.Notifications;

/// <summary>Tells the new owner, and their team's manager, that a lead is theirs — written to the outbox with the assignment.</summary>
internal sealed class NotifyOnAssignment(TimeProvider clock) : IPersonEventHandler
{
    public async Task OnOwnerAssignedAsync(DbConnection c, DbTransaction tx, OwnerAssigned e)
    {
        var person = await PersonStore.FindAsync(c, tx, e.PersonId);
        if (person is null) return;
        var owner = await c.QuerySingleAsync<(string Name, string Email)>("SELECT name, email FROM users WHERE id = @ToUserId", e, tx);
        var team = await c.QuerySingleOrDefaultAsync<(string Name, long? ManagerUserId)>(
            "SELECT name, manager_user_id FROM teams WHERE id = @TeamId", e, tx);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var payload = LeadPayload.Of(person, e.DecisionId, e.Explanation, e.TeamId, team.Name, now,
            new { id = e.ToUserId, name = owner.Name, email = owner.Email });
        await Outbox.AddAsync(c, tx, Outbox.LeadAssigned, person.Id, e.ToUserId, payload, now);
        if (team.ManagerUserId is { } manager && manager != e.ToUserId)
            await Outbox.AddAsync(c, tx, Outbox.LeadAssigned, person.Id, manager, payload, now);
    }
}

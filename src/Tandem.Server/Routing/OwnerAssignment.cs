using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Routing;
using Tandem.Server.Activities;
using Tandem.Server.Notifications;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Routing;

/// <summary>
/// Stores a routing decision and carries it out in the same transaction: the new owner on the person, an
/// "assigned" fact on the timeline, the owner-assigned event (SLA clocks start there) and notifications for the
/// rep and the team's manager — or, when nobody can take the lead, a place in the unassigned queue and an alert.
/// </summary>
public sealed class OwnerAssignment(IServiceProvider services)
{
    // Resolved late: PersonEvents fans out to handlers, and routing's own handler depends on this class.
    private PersonEvents Events => services.GetRequiredService<PersonEvents>();

    public async Task<RoutedLead> RecordAsync(DbConnection c, DbTransaction tx, PersonRow person, RoutingDecision decision, TeamRow? team,
        string trigger, string explanation, Actor actor, long now)
    {
        var decisionId = await c.ExecuteScalarAsync<long>(
            "INSERT INTO routing_decisions (person_id, decided_at, trigger_kind, outcome, rule_id, rule_name, team_id, method, user_id, " +
            "previous_user_id, explanation, details, actor_type, actor_id, actor_name) VALUES (@PersonId, @now, @trigger, @Outcome, @RuleId, " +
            "@RuleName, @TeamId, @Method, @UserId, @PreviousUserId, @explanation, @Details, @ActorType, @ActorId, @ActorName) RETURNING id",
            new
            {
                PersonId = person.Id, now, trigger, Outcome = decision.Outcome.ToString(),
                RuleId = decision.Rule is { Id: > 0 } r ? r.Id : (long?)null, RuleName = decision.Rule?.Name,
                TeamId = team?.Id, Method = decision.Rule?.Method.ToString(), decision.UserId, PreviousUserId = person.OwnerId, explanation,
                Details = Json.Write(new { skipped = decision.Skipped }),
                ActorType = actor.Type.ToString(), ActorId = actor.Id, ActorName = actor.Name,
            }, tx);

        if (decision.UserId is { } userId)
            await AssignAsync(c, tx, person, userId, team, decisionId, explanation, actor, now);
        else
            await QueueAsync(c, tx, person, team, decisionId, explanation, now);
        return new RoutedLead(decisionId, decision.Outcome, decision.UserId, team?.Id, explanation);
    }

    public async Task AssignAsync(DbConnection c, DbTransaction tx, PersonRow person, long userId, TeamRow? team, long decisionId,
        string explanation, Actor actor, long now)
    {
        var previous = person.OwnerId;
        await c.ExecuteAsync("UPDATE people SET owner_id = @userId, owner_team_id = @teamId, owner_assigned_at = @now WHERE id = @id",
            new { userId, teamId = team?.Id, now, id = person.Id }, tx);
        person.OwnerId = userId;
        person.OwnerTeamId = team?.Id;
        person.OwnerAssignedAt = now;
        await c.ExecuteAsync("DELETE FROM routing_queue WHERE person_id = @id", new { id = person.Id }, tx);
        var owner = await c.QuerySingleAsync<(string Name, string Email)>("SELECT name, email FROM users WHERE id = @userId", new { userId }, tx);
        await ActivityStore.AppendAsync(c, tx, new NewActivity(person.Id, null, "assigned", now, now, ActivitySources.System,
            Json.Write(new { ownerId = userId, toName = owner.Name, teamId = team?.Id, decisionId, explanation, previousOwnerId = previous, by = actor.Name })));
        await Events.OwnerAssignedAsync(c, tx, person.Id, previous, userId, team?.Id, actor);

        var payload = Payload(person, decisionId, explanation, team, now, new { id = userId, name = owner.Name, email = owner.Email });
        await Outbox.AddAsync(c, tx, Outbox.LeadAssigned, person.Id, userId, payload, now);
        if (team?.ManagerUserId is { } manager && manager != userId)
            await Outbox.AddAsync(c, tx, Outbox.LeadAssigned, person.Id, manager, payload, now);
    }

    private static async Task QueueAsync(DbConnection c, DbTransaction tx, PersonRow person, TeamRow? team, long decisionId, string explanation, long now)
    {
        await c.ExecuteAsync(
            "INSERT INTO routing_queue (person_id, team_id, decision_id, reason, queued_at) VALUES (@id, @teamId, @decisionId, @explanation, @now) " +
            "ON CONFLICT (person_id) DO UPDATE SET team_id = excluded.team_id, decision_id = excluded.decision_id, reason = excluded.reason, " +
            "queued_at = excluded.queued_at", new { id = person.Id, teamId = team?.Id, decisionId, explanation, now }, tx);
        await Outbox.AddAsync(c, tx, Outbox.LeadUnassigned, person.Id, team?.ManagerUserId,
            Payload(person, decisionId, explanation, team, now, null), now);
    }

    private static object Payload(PersonRow p, long decisionId, string explanation, TeamRow? team, long now, object? owner) => new
    {
        person = new
        {
            id = p.Id, email = p.Email, firstName = p.FirstName, lastName = p.LastName, company = p.Company, title = p.Title,
            phone = p.Phone, country = p.Country, stage = p.Stage, grade = p.FitGrade, engagement = p.EngagementScore,
        },
        owner,
        team = team is null ? null : new { id = team.Id, name = team.Name },
        decisionId,
        explanation,
        at = DateTimeOffset.FromUnixTimeMilliseconds(now),
    };
}

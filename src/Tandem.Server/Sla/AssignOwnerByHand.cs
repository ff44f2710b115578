using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Activities;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Sla;

/// <summary>POST /api/v1/people/{id}/owner: give a lead to a rep by hand (a manager's override). Starts the SLA clocks like routing does.</summary>
public static class AssignOwnerByHand
{
    public sealed record Request(long? UserId, long? TeamId);

    public sealed record OwnerDto(long PersonId, long UserId, long? TeamId, DateTimeOffset AssignedAt, bool Changed);

    public static async Task<Results<Ok<OwnerDto>, ValidationProblem, ProblemHttpResult>> Handle(
        long id, Request request, HttpContext http, Database db, PersonEvents events, TimeProvider clock, CancellationToken ct)
    {
        if (request.UserId is not { } userId) return Problems.Field("userId", "The id of the user who gets the lead is required.");
        var actor = Actors.Of(http.User);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var outcome = await db.WriteAsync<(OwnerDto? Owner, ValidationProblem? Problem)>(async (c, tx) =>
        {
            var person = await PersonStore.FindLiveAsync(c, tx, id, forUpdate: true);
            if (person is null) return (null, null);
            var user = await UserStore.FindAsync(c, tx, userId);
            if (user is null) return (null, Problems.Field("userId", $"No user has id {userId}."));
            if (!user.IsActive) return (null, Problems.Field("userId", $"{user.Name} is inactive and cannot own leads."));
            if (request.TeamId is { } teamId && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM teams WHERE id = @teamId", new { teamId }, tx) == 0)
                return (null, Problems.Field("teamId", $"No team has id {teamId}."));
            var current = await c.QuerySingleAsync<(long? OwnerId, long? TeamId)>("SELECT owner_id, owner_team_id FROM people WHERE id = @Id", person, tx);
            if (current.OwnerId == userId && current.TeamId == request.TeamId)
                return (new OwnerDto(person.Id, userId, request.TeamId, DateTimeOffset.FromUnixTimeMilliseconds(now), false), null);

            await c.ExecuteAsync("UPDATE people SET owner_id = @userId, owner_team_id = @TeamId, owner_assigned_at = @now, updated_at = @now WHERE id = @Id",
                new { userId, request.TeamId, now, person.Id }, tx);
            await ActivityStore.AppendAsync(c, tx, new NewActivity(person.Id, null, "assigned", now, now, ActivitySources.System,
                Json.Write(new { fromUserId = current.OwnerId, toUserId = userId, to = user.Name, teamId = request.TeamId, by = actor.Name, how = "by hand" })));
            await events.OwnerAssignedAsync(c, tx, person.Id, current.OwnerId, userId, request.TeamId, actor);
            return (new OwnerDto(person.Id, userId, request.TeamId, DateTimeOffset.FromUnixTimeMilliseconds(now), true), null);
        }, ct);
        return outcome switch
        {
            (_, { } problem) => problem,
            (null, _) => Problems.NotFound("Person", id),
            var (owner, _) => TypedResults.Ok(owner!),
        };
    }
}

using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Routing;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Security;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Routing;

/// <summary>PUT /api/v1/people/{id}/owner: give a lead to a rep by hand (e.g. from the unassigned queue), recorded like any decision.</summary>
public static class AssignByHand
{
    public sealed record Request(long? UserId, long? TeamId, string? Note);

    public static async Task<Results<Ok<DecisionDto>, ValidationProblem, ProblemHttpResult>> Handle(long id, Request request, HttpContext http,
        Database db, OwnerAssignment assignment, TimeProvider clock, CancellationToken ct)
    {
        if (request.UserId is null) return Problems.Field("userId", "The user who takes the lead is required.");
        if (request.Note is { Length: > 1000 }) return Problems.Field("note", "Must be at most 1000 characters.");
        var actor = Actors.Of(http.User);
        var outcome = await db.WriteAsync<(DecisionDto? Dto, string? Field, string? Problem)>(async (c, tx) =>
        {
            var person = await PersonStore.FindLiveAsync(c, tx, id, forUpdate: true);
            if (person is null) return (null, null, null);
            var user = await UserStore.FindAsync(c, tx, request.UserId.Value);
            if (user is null) return (null, "userId", $"No user has id {request.UserId}.");
            if (!user.IsActive) return (null, "userId", $"{user.Name} is inactive and cannot own leads.");
            var team = request.TeamId is { } t ? await TeamStore.FindAsync(c, tx, t) : person.OwnerTeamId is { } ot ? await TeamStore.FindAsync(c, tx, ot) : null;
            if (request.TeamId is not null && team is null) return (null, "teamId", $"No team has id {request.TeamId}.");
            var text = $"assigned by hand by {actor.Name} to {user.Name}" + (string.IsNullOrWhiteSpace(request.Note) ? "" : $": {request.Note.Trim()}");
            var decision = new RoutingDecision(RoutingOutcome.Assigned, null, null, user.Id, user.Name, [], null, false, text);
            var routed = await assignment.RecordAsync(c, tx, person, decision, team, "manual", text, actor, clock.GetUtcNow().ToUnixTimeMilliseconds());
            return (await Decisions.FindAsync(c, tx, routed.DecisionId!.Value), null, null);
        }, ct);
        if (outcome.Field is { } field) return Problems.Field(field, outcome.Problem!);
        return outcome.Dto is null ? Problems.NotFound("Person", id) : TypedResults.Ok(outcome.Dto);
    }
}

/// <summary>The leads nobody could take (no rule matched, or nobody eligible and no fallback), oldest first.</summary>
public static class UnassignedQueue
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

/// <summary>PUT /api/v1/accounts/{id}/owner: the rep who owns an account gets its leads first under "account owner" rules.</summary>
public static class SetAccountOwner
{
    public sealed record Request(long? UserId);

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(long id, Request request, Database db, CancellationToken ct)
    {
        var outcome = await db.WriteAsync<string?>(async (c, tx) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM accounts WHERE id = @id", new { id }, tx) == 0) return "account";
            if (request.UserId is { } u && await UserStore.FindAsync(c, tx, u) is null) return "user";
            await c.ExecuteAsync("UPDATE accounts SET owner_id = @UserId WHERE id = @id", new { request.UserId, id }, tx);
            return null;
        }, ct);
        return outcome switch
        {
            "account" => Problems.NotFound("Account", id),
            "user" => Problems.Field("userId", $"No user has id {request.UserId}."),
            _ => TypedResults.NoContent(),
        };
    }
}

using Tandem.Domain.Lifecycle;
using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Security;
using Tandem.Server.Users;

namespace Tandem.Server.Routing;

/// <summary>
/// A person gives a lead to a rep (a manager balancing the team, marketing ops emptying the queue): checked, then
/// assigned through <see cref="AssignOwner"/> like any routing decision, so the clocks and notifications follow.
/// Behind <c>PUT</c> and <c>POST /api/v1/people/{id}/owner</c> and the people list's "Assign" in the web app.
/// </summary>
internal sealed class AssignByHand(AssignOwner assignOwner)
{
    public sealed record Request(long? UserId, long? TeamId, string? Note);

    /// <summary>What happened: a field that was wrong, the lead already with that owner and team, or the new decision.</summary>
    public sealed record Outcome(string? Field, string? Problem, bool Changed, long? DecisionId, long? TeamId)
    {
        public static Outcome Refused(string field, string problem) => new(field, problem, false, null, null);
    }

    /// <summary>The problem with a request before any lead is read, or null.</summary>
    public static (string Field, string Problem)? Check(Request request) =>
        request.UserId is null ? ("userId", "The id of the user who takes the lead is required.")
        : request.Note is { Length: > 1000 } ? ("note", "Must be at most 1000 characters.")
        : null;

    public async Task<Outcome> AssignAsync(DbConnection c, DbTransaction tx, PersonRow person, Request request, Actor actor, long now)
    {
        var user = await UserStore.FindAsync(c, tx, request.UserId!.Value);
        if (user is null) return Outcome.Refused("userId", $"No user has id {request.UserId}.");
        if (!user.IsActive) return Outcome.Refused("userId", $"{user.Name} is inactive and cannot own leads.");
        if (request.TeamId is { } t && await TeamStore.FindAsync(c, tx, t) is null) return Outcome.Refused("teamId", $"No team has id {t}.");
        var teamId = request.TeamId ?? await TeamOfAsync(c, tx, user.Id, person.OwnerTeamId);
        if (person.OwnerId == user.Id && person.OwnerTeamId == teamId) return new Outcome(null, null, false, null, teamId);

        var explanation = $"assigned by hand by {actor.Name} to {user.Name}" + (string.IsNullOrWhiteSpace(request.Note) ? "" : $": {request.Note.Trim()}");
        var decisionId = await assignOwner.AssignAsync(c, tx, person, new OwnerChange(user.Id, teamId, AssignOwner.ByHand, explanation, actor, now));
        return new Outcome(null, null, true, decisionId, teamId);
    }

    /// <summary>PUT /api/v1/people/{id}/owner: answers the decision (the latest one when the lead already had that owner and team).</summary>
    public static async Task<Results<Ok<DecisionDto>, ValidationProblem, ProblemHttpResult>> Handle(long id, Request request, HttpContext http,
        Consequences consequences, AssignByHand assign, TimeProvider clock, CancellationToken ct)
    {
        if (Check(request) is var (field, problem)) return Problems.Field(field, problem);
        var actor = Actors.Of(http.User);
        var outcome = await consequences.WriteAsync<(Outcome? Outcome, DecisionDto? Dto)>(async (c, tx) =>
        {
            var person = await PersonStore.FindLiveAsync(c, tx, id, forUpdate: true);
            if (person is null) return (null, null);
            var done = await assign.AssignAsync(c, tx, person, request, actor, clock.GetUtcNow().ToUnixTimeMilliseconds());
            var dto = done.DecisionId is { } d ? await Decisions.FindAsync(c, tx, d)
                : done.Field is null ? (await Decisions.ForPersonAsync(c, tx, person.Id)).FirstOrDefault() : null;
            return (done, dto);
        }, ct);
        return outcome switch
        {
            (null, _) => Problems.NotFound("Person", id),
            ({ Field: { } f } o, _) => Problems.Field(f, o.Problem!),
            (_, { } dto) => TypedResults.Ok(dto),
            _ => Problems.Conflict("The lead has this owner, but no decision records it.", "Assign it to someone else first."),
        };
    }

    /// <summary>The team a lead joins with its new owner: the lead's current team if the owner is in it, else the owner's first team.</summary>
    private static async Task<long?> TeamOfAsync(DbConnection c, DbTransaction tx, long userId, long? currentTeamId)
    {
        var teams = (await c.QueryAsync<long>("SELECT team_id FROM team_members WHERE user_id = @userId ORDER BY team_id", new { userId }, tx)).ToList();
        return currentTeamId is { } current && teams.Contains(current) ? current : teams.Count > 0 ? teams[0] : currentTeamId;
    }
}

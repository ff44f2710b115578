using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Security;

namespace Tandem.Server.Lifecycle;

/// <summary>POST /api/v1/people/{id}/stage: move a person through the lifecycle, recording who and why.</summary>
internal static class ChangeStage
{
    public sealed record Request(string? Stage, string? ReasonCode, string? Note);

    public static async Task<Results<Ok<StageChangeDto>, ValidationProblem, ProblemHttpResult>> Handle(
        long id, Request request, HttpContext http, Consequences consequences, MoveStage moveStage, TimeProvider clock, CancellationToken ct)
    {
        if (!Stages.TryParse(request.Stage, out var to))
            return Problems.Field("stage", request.Stage is null
                ? "A target stage is required."
                : $"'{request.Stage}' is not a stage; use one of: {string.Join(", ", Stages.Names)}.");
        if (request.Note is { Length: > 4000 }) return Problems.Field("note", "Must be at most 4000 characters.");

        var actor = Actors.Of(http.User);
        var outcome = await consequences.WriteAsync<(TransitionDecision? Decision, StageChangeDto? Change)>(async (c, tx) =>
        {
            var person = await PersonStore.FindLiveAsync(c, tx, id, forUpdate: true);
            if (person is null) return (null, null);
            var decision = await moveStage.MoveAsync(c, tx, person,
                new StageMove(to, actor, clock.GetUtcNow().ToUnixTimeMilliseconds(), request.ReasonCode, request.Note));
            if (!decision.IsAllowed) return (decision, null);
            return (decision, (await StageHistory.ReadAsync(c, tx, person.Id)).Last());
        }, ct);

        return outcome switch
        {
            (null, _) => Problems.NotFound("Person", id),
            ({ IsInvalidInput: true } d, _) => Problems.Field(d.Field!, d.Reason!),
            ({ IsAllowed: false } d, _) => Problems.Conflict($"Cannot move from {d.From} to {d.To}.", d.Reason!,
                new Dictionary<string, object?> { ["from"] = d.From?.ToString(), ["to"] = d.To.ToString() }),
            (_, var change) => TypedResults.Ok(change!),
        };
    }
}

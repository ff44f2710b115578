using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Routing;
using Tandem.Server.Security;

namespace Tandem.Server.Sla;

/// <summary>
/// POST /api/v1/people/{id}/owner: the same hand assignment as <c>PUT</c> (<see cref="AssignByHand"/>), answered with
/// the owner and whether anything changed — the shape the SLA pages and scripts written against them expect.
/// </summary>
internal static class AssignOwnerByHand
{
    public sealed record OwnerDto(long PersonId, long UserId, long? TeamId, DateTimeOffset AssignedAt, bool Changed);

    public static async Task<Results<Ok<OwnerDto>, ValidationProblem, ProblemHttpResult>> Handle(long id, AssignByHand.Request request,
        HttpContext http, Consequences consequences, AssignByHand assign, TimeProvider clock, CancellationToken ct)
    {
        if (AssignByHand.Check(request) is var (field, problem)) return Problems.Field(field, problem);
        var actor = Actors.Of(http.User);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var outcome = await consequences.WriteAsync<AssignByHand.Outcome?>(async (c, tx) =>
            await PersonStore.FindLiveAsync(c, tx, id, forUpdate: true) is { } person
                ? await assign.AssignAsync(c, tx, person, request, actor, now)
                : null, ct);
        return outcome switch
        {
            null => Problems.NotFound("Person", id),
            { Field: { } f } o => Problems.Field(f, o.Problem!),
            var o => TypedResults.Ok(new OwnerDto(id, request.UserId!.Value, o.TeamId, DateTimeOffset.FromUnixTimeMilliseconds(now), o.Changed)),
        };
    }
}

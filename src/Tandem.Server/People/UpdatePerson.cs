using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Identity;
using Tandem.Server.Privacy;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.People;

/// <summary>PATCH /api/v1/people/{id}: update the fields sent, under the same survivorship rules as capture.</summary>
internal static class UpdatePerson
{
    public static async Task<Results<Ok<PersonDto>, ValidationProblem, ProblemHttpResult>> Handle(
        long id, PersonInput input, HttpContext http, Consequences consequences, PersonCapturer capturer, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        if (input.Stage is not null) v.Add("stage", $"Change the stage with POST /api/v1/people/{id}/stage, which records why.");
        var capture = input.ToCapture(v, clock.GetUtcNow(), requireIdentity: false);
        if (capture is null) return v.ToProblem();

        var actor = Actors.Of(http.User);
        try
        {
            var dto = await consequences.WriteAsync(async (c, tx) =>
            {
                var existing = await PersonStore.FindLiveAsync(c, tx, id, forUpdate: true);
                if (existing is null) return null;
                var outcome = await capturer.CaptureAsync(c, tx, capture, actor, knownPersonId: existing.Id);
                await consequences.DispatchAsync(c, tx); // the answer carries the new score
                return await PersonDto.LoadAsync(c, tx, (await PersonStore.FindAsync(c, tx, outcome.PersonId))!);
            }, ct);
            return dto is null ? Problems.NotFound("Person", id) : TypedResults.Ok(dto);
        }
        catch (ErasedPersonException e)
        {
            return ErasedProblem.For(e.Match);
        }
    }
}

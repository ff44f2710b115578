using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Identity;
using Tandem.Server.Privacy;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.People;

/// <summary>POST /api/v1/people: create a person, or update the one with the same external id or email.</summary>
internal static class UpsertPerson
{
    public static async Task<Results<Created<PersonDto>, Ok<PersonDto>, ValidationProblem, ProblemHttpResult>> Handle(
        PersonInput input, HttpContext http, Consequences consequences, PersonCapturer capturer, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var capture = input.ToCapture(v, clock.GetUtcNow(), requireIdentity: true);
        if (capture is null) return v.ToProblem();

        var actor = Actors.Of(http.User);
        try
        {
            var (outcome, dto) = await consequences.WriteAsync(async (c, tx) =>
            {
                var outcome = await capturer.CaptureAsync(c, tx, capture, actor);
                await consequences.DispatchAsync(c, tx); // the answer carries the new score
                var row = (await PersonStore.FindAsync(c, tx, outcome.PersonId))!;
                return (outcome, await PersonDto.LoadAsync(c, tx, row));
            }, ct);
            return outcome.Created ? TypedResults.Created($"/api/v1/people/{dto.Id}", dto) : TypedResults.Ok(dto);
        }
        catch (ErasedPersonException e)
        {
            return ErasedProblem.For(e.Match);
        }
    }
}

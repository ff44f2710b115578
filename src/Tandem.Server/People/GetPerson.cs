using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.People;

/// <summary>GET /api/v1/people/{id}. A merged-away id answers 308 with the survivor's address; an erased one 410 Gone.</summary>
internal static class GetPerson
{
    public static async Task<Results<Ok<PersonDto>, RedirectHttpResult, ProblemHttpResult>> Handle(long id, Database db, CancellationToken ct)
    {
        return await db.ReadAsync<Results<Ok<PersonDto>, RedirectHttpResult, ProblemHttpResult>>(async c =>
        {
            var row = await PersonStore.FindAsync(c, null, id);
            if (row is null) return Problems.NotFound("Person", id);
            if (row.ErasedAt is { } erased)
                return TypedResults.Problem(statusCode: 410, title: "Person erased.",
                    detail: $"Person {id} was erased on {DateTimeOffset.FromUnixTimeMilliseconds(erased):yyyy-MM-dd}; nothing about them is kept.");
            if (row.MergedIntoId is not null)
            {
                var survivor = await PersonStore.FindLiveAsync(c, null, id);
                if (survivor is null) return TypedResults.Problem(statusCode: 410, title: "Person erased.", detail: $"Person {id} was merged into a person since erased.");
                return TypedResults.Redirect($"/api/v1/people/{survivor!.Id}", permanent: true, preserveMethod: true);
            }
            return TypedResults.Ok(await PersonDto.LoadAsync(c, null, row));
        }, ct);
    }
}

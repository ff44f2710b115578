using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.People;

/// <summary>GET /api/v1/people/{id}. A merged-away id answers 308 with the survivor's address.</summary>
internal static class GetPerson
{
    public static async Task<Results<Ok<PersonDto>, RedirectHttpResult, ProblemHttpResult>> Handle(long id, Database db, CancellationToken ct)
    {
        return await db.ReadAsync<Results<Ok<PersonDto>, RedirectHttpResult, ProblemHttpResult>>(async c =>
        {
            var row = await PersonStore.FindAsync(c, null, id);
            if (row is null) return Problems.NotFound("Person", id);
            if (row.MergedIntoId is not null)
            {
                var survivor = await PersonStore.FindLiveAsync(c, null, id);
                return TypedResults.Redirect($"/api/v1/people/{survivor!.Id}", permanent: true, preserveMethod: true);
            }
            return TypedResults.Ok(await PersonDto.LoadAsync(c, null, row));
        }, ct);
    }
}

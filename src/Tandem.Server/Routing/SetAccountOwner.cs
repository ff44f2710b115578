using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Routing;

/// <summary>PUT /api/v1/accounts/{id}/owner: the rep who owns an account gets its leads first under "account owner" rules.</summary>
internal static class SetAccountOwner
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

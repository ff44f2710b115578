using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Accounts;

internal sealed record AccountDto(long Id, string Name, string? Domain, string? Industry, long People, DateTimeOffset CreatedAt);

internal static class AccountEndpoints
{
    private sealed record Row(long Id, string Name, string? Domain, string? Industry, long People, long CreatedAt)
    {
        public AccountDto ToDto() => new(Id, Name, Domain, Industry, People, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }

    // Dapper fills a positional record by column order, so the columns follow Row's parameters exactly.
    private const string Select =
        "SELECT a.id, a.name, a.domain, a.industry, " +
        "(SELECT COUNT(*) FROM people p WHERE p.account_id = a.id AND p.merged_into_id IS NULL) AS people, a.created_at FROM accounts a";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/accounts").WithTags("Accounts").RequireScope(Scopes.Read);
        group.MapGet("/{id:long}", Get).WithSummary("Get an account; its people are at /api/v1/people?accountId={id}.");
        group.MapGet("/", List).WithSummary("List accounts, optionally by domain.");
        return app;
    }

    private static async Task<Results<Ok<AccountDto>, ProblemHttpResult>> Get(long id, Database db, CancellationToken ct)
    {
        var row = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<Row>(Select + " WHERE a.id = @id", new { id }), ct);
        return row is null ? Problems.NotFound("Account", id) : TypedResults.Ok(row.ToDto());
    }

    private static async Task<Ok<IReadOnlyList<AccountDto>>> List(string? domain, int? limit, Database db, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 100, 1, 1000);
        var rows = await db.ReadAsync(c => c.QueryAsync<Row>(
            Select + (domain is null ? "" : " WHERE a.domain = @domain") + " ORDER BY a.id LIMIT @take",
            new { domain = domain?.Trim().ToLowerInvariant(), take }), ct);
        return TypedResults.Ok<IReadOnlyList<AccountDto>>(rows.Select(r => r.ToDto()).ToList());
    }
}

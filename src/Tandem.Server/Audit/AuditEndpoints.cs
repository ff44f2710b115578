using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Audit;

internal static class AuditEndpoints
{
    public const int MaxLimit = 1000;

    public sealed record Page(IReadOnlyList<AuditEntry> Items, long? NextBefore);

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/audit", List).WithTags("Audit").RequireScope(Scopes.Admin)
            .WithSummary("The audit log, newest first: sign-ins, users, keys, settings changes and exports — who, when, what, from where.");
        return app;
    }

    /// <param name="action">One action (key.created), or every action under a prefix ending in '.' (settings.).</param>
    /// <param name="since">Unix milliseconds; entries at or after it.</param>
    /// <param name="until">Unix milliseconds; entries before it.</param>
    /// <param name="before">The previous page's nextBefore: entries older than those already read.</param>
    private static async Task<Results<Ok<Page>, ValidationProblem>> List(string? action, long? since, long? until, long? before, int? limit,
        Database db, CancellationToken ct)
    {
        var v = new Validation();
        if (limit is < 1 or > MaxLimit) v.Add("limit", $"Ask for 1 to {MaxLimit} entries.");
        if (action is { Length: > 100 }) v.Add("action", "Name an action (or a prefix ending in '.') of at most 100 characters.");
        if (since is not null && until is not null && until <= since) v.Add("until", "until must be after since.");
        if (!v.IsValid) return v.ToProblem();
        var take = limit ?? 100;
        var items = await AuditLog.ListAsync(db, new AuditLog.Query(action, since, until, before, take), ct);
        return TypedResults.Ok(new Page(items, items.Count == take ? items[^1].Id : null));
    }
}

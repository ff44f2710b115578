using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Tandem.Server.Hosting;
using Tandem.Server.Scoring;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Accounts;

/// <summary>An account's engagement: the sum of its people's current engagement, its band, and the buying-group signal.</summary>
internal sealed record AccountEngagementDto(long Total, int Band, long EngagedPeople, long QualifiedPeople, long OpenHandoffs, bool BuyingGroup,
    DateTimeOffset? LastTouchAt);

internal sealed record AccountDto(long Id, string Name, string? Domain, string? Industry, long People, DateTimeOffset CreatedAt, long? OwnerId,
    AccountEngagementDto Engagement)
{
    public static AccountDto From(AccountRow r) => new(r.Id, r.Name, r.Domain, r.Industry, r.People, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
        r.OwnerId, new AccountEngagementDto(r.Engagement, (int)r.Band, r.EngagedPeople, r.QualifiedPeople, r.OpenHandoffs, r.BuyingGroup is not null,
            r.LastTouchAt is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : null));
}

internal static class AccountEndpoints
{
    /// <summary>The API's sort names for <see cref="AccountList.Sorts"/>; the id order (the default) keeps older clients' order.</summary>
    private static readonly IReadOnlyDictionary<string, string> Sorts = new Dictionary<string, string>
    {
        ["id"] = "x.id", ["-id"] = "x.id DESC",
        ["engagement"] = AccountList.Sorts["engagement"], ["-engagement"] = AccountList.Sorts["-engagement"],
        ["name"] = AccountList.Sorts["name"], ["-name"] = AccountList.Sorts["-name"],
        ["people"] = AccountList.Sorts["people"], ["-people"] = AccountList.Sorts["-people"],
        ["lastTouchAt"] = AccountList.Sorts["last_touch"], ["-lastTouchAt"] = AccountList.Sorts["-last_touch"],
        ["createdAt"] = AccountList.Sorts["created"], ["-createdAt"] = AccountList.Sorts["-created"],
    };

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/accounts").WithTags("Accounts").RequireScope(Scopes.Read);
        group.MapGet("/{id:long}", Get).WithSummary("Get an account with its engagement; its people are at /api/v1/people?accountId={id}.");
        group.MapGet("/", List).WithSummary("List accounts with their engagement: filter, sort and page (a Link header names the next page).");
        return app;
    }

    private static async Task<Results<Ok<AccountDto>, ProblemHttpResult>> Get(long id, Database db, ScoringModels models, CancellationToken ct)
    {
        var engagement = AccountEngagement.Of((await models.ActiveAsync(ct))?.Model);
        var row = await db.ReadAsync(c => AccountList.FindAsync(c, id, AccountViewer.Workspace, engagement), ct);
        return row is null ? Problems.NotFound("Account", id) : TypedResults.Ok(AccountDto.From(row));
    }

    private static async Task<Results<Ok<IReadOnlyList<AccountDto>>, ValidationProblem>> List(string? sort, int? limit, int? offset,
        HttpRequest request, HttpResponse response, Database db, ScoringModels models, CancellationToken ct)
    {
        var engagement = AccountEngagement.Of((await models.ActiveAsync(ct))?.Model);
        var v = new Validation();
        var query = AccountQuery.Parse(name => request.Query[name], v, engagement);
        var sortKey = string.IsNullOrWhiteSpace(sort) ? "id" : sort.Trim();
        if (!Sorts.TryGetValue(sortKey, out var orderBy))
            v.Add("sort", $"Cannot sort by '{sortKey}'; use one of: {string.Join(", ", Sorts.Keys.Where(k => !k.StartsWith('-')))} (prefix '-' for descending).");
        if (offset is < 0) v.Add("offset", "Must be 0 or more.");
        if (!v.IsValid) return v.ToProblem();

        // As before filters came: a limit out of range is brought into it rather than refused.
        var take = Math.Clamp(limit ?? 100, 1, 1000);
        var skip = offset ?? 0;
        var (rows, total) = await db.ReadAsync(c => AccountList.PageAsync(c, query, AccountViewer.Workspace, engagement, orderBy!, skip, take), ct);
        response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        if (skip + rows.Count < total)
        {
            // The same query with the next offset, so a client that follows Link never misses an account.
            var next = request.Query.Where(q => q.Key != "offset").SelectMany(q => q.Value.Select(value => new KeyValuePair<string, string?>(q.Key, value)))
                .Append(new("offset", (skip + rows.Count).ToString(CultureInfo.InvariantCulture)));
            response.Headers.Link = $"<{QueryHelpers.AddQueryString(request.PathBase + request.Path, next)}>; rel=\"next\"";
        }
        return TypedResults.Ok<IReadOnlyList<AccountDto>>(rows.Select(AccountDto.From).ToList());
    }
}

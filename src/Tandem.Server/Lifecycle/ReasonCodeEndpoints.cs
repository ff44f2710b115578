using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Lifecycle;

/// <summary>/api/v1/definitions/reason-codes: the shared reason codes, read by everyone, replaced one list at a time.</summary>
internal static class ReasonCodeEndpoints
{
    public sealed record CodeDto(string Code, string? Stage);

    public sealed record ListsDto(IReadOnlyList<CodeDto> Recycled, IReadOnlyList<CodeDto> Disqualified, IReadOnlyList<CodeDto> Reject,
        IReadOnlyList<CodeDto> Lost);

    public sealed record ReplaceRequest(List<CodeDto?>? Codes);

    public static Ok<ListsDto> List(ReasonCatalog catalog) => TypedResults.Ok(Dto(catalog));

    public static async Task<Results<Ok<ListsDto>, ValidationProblem, ProblemHttpResult>> Replace(string list, ReplaceRequest request, ReasonCatalog catalog,
        Database db, TimeProvider clock, CancellationToken ct)
    {
        list = list.Trim().ToLowerInvariant();
        if (!ReasonCatalog.Lists.Contains(list))
            return TypedResults.Problem(statusCode: 404, title: "Reason code list not found.",
                detail: $"There is no list '{list}'; the lists are {string.Join(", ", ReasonCatalog.Lists)}.");
        if (request.Codes is null) return Problems.Field("codes", "The whole list is required, e.g. [{\"code\":\"no-budget\"}].");
        for (var i = 0; i < request.Codes.Count; i++)
            if (request.Codes[i] is null) return Problems.Field($"codes[{i}]", "Must be an object with a code (and, for rejection reasons, a stage).");
        var errors = await catalog.ReplaceAsync(db, list, request.Codes.Select(c => new ReasonCatalog.Entry(c!.Code ?? "", c.Stage)).ToList(), clock, ct);
        return errors.Count > 0 ? Problems.Fields(errors) : TypedResults.Ok(Dto(catalog));
    }

    private static ListsDto Dto(ReasonCatalog catalog)
    {
        IReadOnlyList<CodeDto> Of(string list) => catalog.EntriesOf(list).Select(e => new CodeDto(e.Code, e.Stage)).ToList();
        return new ListsDto(Of(ReasonCatalog.Recycled), Of(ReasonCatalog.Disqualified), Of(ReasonCatalog.Reject), Of(ReasonCatalog.Lost));
    }
}

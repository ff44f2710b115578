using Microsoft.AspNetCore.Http.HttpResults;

namespace Tandem.Server.Hosting;

/// <summary>RFC 7807 problem documents that name the field and the reason.</summary>
internal static class Problems
{
    public static ValidationProblem Field(string field, string reason) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] },
            detail: $"{field}: {reason}", title: "The request is not valid.");

    public static ValidationProblem Fields(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors,
            detail: string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
            title: "The request is not valid.");

    public static ProblemHttpResult NotFound(string what, object id) =>
        TypedResults.Problem(statusCode: 404, title: $"{what} not found.", detail: $"No {what.ToLowerInvariant()} has id {id}.");

    public static ProblemHttpResult Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(statusCode: 409, title: title, detail: detail, extensions: extensions);
}

/// <summary>Collects field errors for a request before anything is written.</summary>
internal sealed class Validation
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsValid => errors.Count == 0;

    public Validation Add(string field, string reason)
    {
        if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
        list.Add(reason);
        return this;
    }

    public IReadOnlyDictionary<string, string[]> Errors => errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public ValidationProblem ToProblem() => Problems.Fields(Errors);
}

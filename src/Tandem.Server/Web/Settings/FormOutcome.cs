using Microsoft.AspNetCore.Http.HttpResults;

namespace Tandem.Server.Web.Settings;

/// <summary>
/// What a settings form learns from the use case it called: the same handlers serve the API and the pages, so a page
/// shows exactly the field errors an API client would get, keyed by the API's field names ("name", "conditions[0].operator").
/// </summary>
internal sealed record FormOutcome(bool Succeeded, IReadOnlyDictionary<string, string> Errors, bool NotFound)
{
    public static readonly FormOutcome Done = new(true, new Dictionary<string, string>(), false);

    /// <summary>Reads a handler's typed result: 2xx is success, a validation problem gives field errors, other problems one general error.</summary>
    public static FormOutcome Of(IResult result) => result switch
    {
        INestedHttpResult nested => Of(nested.Result),
        ValidationProblem v => new(false, v.ProblemDetails.Errors.ToDictionary(e => e.Key, e => string.Join(" ", e.Value), StringComparer.OrdinalIgnoreCase),
            false),
        ProblemHttpResult { StatusCode: 404 } p => new(false, new Dictionary<string, string> { [""] = p.ProblemDetails.Detail ?? "Not found." }, true),
        ProblemHttpResult p => new(false, new Dictionary<string, string> { [""] = p.ProblemDetails.Detail ?? p.ProblemDetails.Title ?? "Refused." }, false),
        IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } => Done,
        _ => new(false, new Dictionary<string, string> { [""] = "The change was refused." }, false),
    };

    public static FormOutcome Invalid(string field, string reason) => new(false, new Dictionary<string, string> { [field] = reason }, false);

    public string? this[string field] => Errors.TryGetValue(field, out var e) ? e : null;

    /// <summary>Errors for fields the form has no place for (the general ones), in one sentence.</summary>
    public string? Summary(IEnumerable<string> shownFields)
    {
        var shown = shownFields.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var rest = Errors.Where(e => !shown.Contains(e.Key)).Select(e => e.Key.Length == 0 ? e.Value : $"{e.Key}: {e.Value}").ToList();
        return rest.Count == 0 ? null : string.Join(" ", rest);
    }
}

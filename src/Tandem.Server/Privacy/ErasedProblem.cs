using Microsoft.AspNetCore.Http.HttpResults;

namespace Tandem.Server.Privacy;

/// <summary>The 409 a capture naming an erased person gets: which field matched, and how to add them again on purpose.</summary>
internal static class ErasedProblem
{
    public static ProblemHttpResult For(ErasedMatch match) => TypedResults.Problem(statusCode: 409,
        title: "This person was erased.",
        detail: $"{match.Field}: a person with this {(match.Field == "email" ? "email" : "external id")} was erased on {match.ErasedAt:yyyy-MM-dd}. " +
                "Send allowErased: true to add them again as a new person, for instance when they ask to be.",
        extensions: new Dictionary<string, object?>
        {
            ["errors"] = new Dictionary<string, string[]> { [match.Field] = [$"Belongs to a person erased on {match.ErasedAt:yyyy-MM-dd}; send allowErased: true to add them again."] },
        });
}

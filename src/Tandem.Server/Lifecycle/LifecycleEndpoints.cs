using Tandem.Domain.Lifecycle;
using Tandem.Server.Identity;
using Tandem.Server.Security;

namespace Tandem.Server.Lifecycle;

internal static class LifecycleEndpoints
{
    public sealed record LifecycleDto(IReadOnlyList<string> Stages, string InitialStage, IReadOnlyDictionary<string, IReadOnlyList<string>> ReasonCodes);

    public static IEndpointRouteBuilder MapLifecycleEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/lifecycle", (LifecycleSettings lifecycle) => TypedResults.Ok(new LifecycleDto(
                Stages.Names, lifecycle.InitialStage.ToString(),
                new Dictionary<string, IReadOnlyList<string>>
                {
                    [nameof(Stage.Recycled)] = lifecycle.ReasonCodes.For(Stage.Recycled),
                    [nameof(Stage.Disqualified)] = lifecycle.ReasonCodes.For(Stage.Disqualified),
                })))
            .RequireScope(Scopes.Read).WithTags("Lifecycle").WithSummary("The stages and the reason codes each side stage accepts.");
        app.MapGet("/api/v1/definitions/reason-codes", ReasonCodeEndpoints.List).RequireScope(Scopes.Read).WithTags("Lifecycle")
            .WithSummary("The shared reason codes: recycled, disqualified, reject (with the stage each sends the lead to) and lost.");
        app.MapPut("/api/v1/definitions/reason-codes/{list}", ReasonCodeEndpoints.Replace).RequireScope(Scopes.Admin).WithTags("Lifecycle")
            .WithSummary("Replace one list of reason codes (recycled, disqualified, reject, lost); history keeps the codes it was recorded with.");
        return app;
    }
}

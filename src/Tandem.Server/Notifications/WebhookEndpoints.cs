using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;

namespace Tandem.Server.Notifications;

/// <summary>Webhook subscriptions over the API: where notifications are posted, for which events, signed with which secret.</summary>
internal static class WebhookEndpoints
{
    public static async Task<Results<Created<WebhookSubscriptions.Created>, ValidationProblem>> Create(WebhookSubscriptions.Input input,
        WebhookSubscriptions subscriptions, CancellationToken ct)
    {
        var (created, problems) = await subscriptions.CreateAsync(input, ct);
        return created is null ? problems.ToProblem() : TypedResults.Created($"/api/v1/webhooks/{created.Id}", created);
    }

    public static async Task<Ok<IReadOnlyList<WebhookSubscriptions.Subscription>>> List(WebhookSubscriptions subscriptions, CancellationToken ct) =>
        TypedResults.Ok(await subscriptions.ListAsync(ct));

    /// <summary>Stops deliveries to the subscription; its delivery log is kept, and what was still pending is cancelled.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, WebhookSubscriptions subscriptions, CancellationToken ct) =>
        await subscriptions.DeleteAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound("Webhook subscription", id);
}

using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Notifications;

/// <summary>Webhook subscriptions: where notifications are posted, for which events, signed with which secret.</summary>
internal static partial class WebhookEndpoints
{
    public sealed record SubscriptionInput(string? Name, string? Url, List<string>? Events, string? Secret);

    public sealed record SubscriptionDto(long Id, string Name, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt);

    /// <summary>The secret is shown once, at creation; receivers use it to verify Tandem-Signature.</summary>
    public sealed record CreatedSubscription(long Id, string Name, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, string Secret);

    private sealed record Row(long Id, string Name, string Url, string Events, long CreatedAt)
    {
        public SubscriptionDto ToDto() => new(Id, Name, Url, Json.Read(Events, new List<string>()), DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }

    public static async Task<Results<Created<CreatedSubscription>, ValidationProblem>> Create(SubscriptionInput input, Database db, TimeProvider clock,
        WebhookTargets targets, CancellationToken ct)
    {
        var v = new Validation();
        if (string.IsNullOrWhiteSpace(input.Name)) v.Add("name", "A name saying who receives the webhook is required.");
        if (!Uri.TryCreate(input.Url?.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            v.Add("url", "An absolute https:// URL is required.");
        else if (await targets.CheckAsync(url, ct) is { } refused)
            v.Add("url", refused);
        var events = input.Events is { Count: > 0 } list ? list.Select(e => e?.Trim() ?? "").Distinct().ToList() : ["*"];
        foreach (var e in events)
            if (!EventPattern().IsMatch(e)) v.Add("events", $"'{e}' is not an event filter; use names like lead.assigned, lead.* or *.");
        if (input.Secret is { } s && s.Length is < 16 or > 200) v.Add("secret", "Must be 16 to 200 characters (or leave it out to have one generated).");
        if (!v.IsValid) return v.ToProblem();

        var secret = input.Secret ?? "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', 'A').Replace('/', 'B').TrimEnd('=');
        var now = clock.GetUtcNow();
        var id = await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<long>(
            "INSERT INTO webhook_subscriptions (name, url, secret, events, created_at) VALUES (@name, @url, @secret, @events, @now) RETURNING id",
            new { name = input.Name!.Trim(), url = url!.ToString(), secret, events = Json.Write(events), now = now.ToUnixTimeMilliseconds() }, tx), ct);
        return TypedResults.Created($"/api/v1/webhooks/{id}", new CreatedSubscription(id, input.Name!.Trim(), url!.ToString(), events, now, secret));
    }

    public static async Task<Ok<IReadOnlyList<SubscriptionDto>>> List(Database db, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<SubscriptionDto>>((await db.ReadAsync(c => c.QueryAsync<Row>(
            "SELECT id, name, url, events, created_at FROM webhook_subscriptions WHERE deleted_at IS NULL ORDER BY id"), ct)).Select(r => r.ToDto()).ToList());

    /// <summary>Stops deliveries to the subscription; its delivery log is kept, and what was still pending is cancelled.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, Database db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var found = await db.WriteAsync(async (c, tx) =>
        {
            var n = await c.ExecuteAsync("UPDATE webhook_subscriptions SET deleted_at = @now WHERE id = @id AND deleted_at IS NULL", new { id, now }, tx);
            await c.ExecuteAsync("UPDATE notification_deliveries SET status = 'cancelled' WHERE subscription_id = @id AND status = 'pending'", new { id }, tx);
            return n > 0;
        }, ct);
        return found ? TypedResults.NoContent() : Problems.NotFound("Webhook subscription", id);
    }

    [GeneratedRegex(@"^(\*|[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?)$")]
    private static partial Regex EventPattern();
}

using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Dapper;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Notifications;

/// <summary>Subscribing, listing and unsubscribing webhooks: one use case behind the API and the Webhooks page.</summary>
internal sealed partial class WebhookSubscriptions(Database db, TimeProvider clock, WebhookTargets targets)
{
    public sealed record Input(string? Name, string? Url, List<string>? Events, string? Secret);

    public sealed record Subscription(long Id, string Name, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt);

    /// <summary>The secret is shown once, at creation; receivers use it to verify Tandem-Signature.</summary>
    public sealed record Created(long Id, string Name, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, string Secret);

    private sealed record Row(long Id, string Name, string Url, string Events, long CreatedAt)
    {
        public Subscription ToSubscription() =>
            new(Id, Name, Url, Json.Read(Events, new List<string>()), DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }

    /// <returns>The subscription, or the problems with the input (field by field).</returns>
    public async Task<(Created? Subscription, Validation Problems)> CreateAsync(Input input, CancellationToken ct)
    {
        var v = new Validation();
        if (string.IsNullOrWhiteSpace(input.Name)) v.Add("name", "A name saying who receives the webhook is required.");
        else if (input.Name.Trim().Length > 100) v.Add("name", "At most 100 characters.");
        if (!Uri.TryCreate(input.Url?.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            v.Add("url", "An absolute https:// URL is required.");
        else if (await targets.CheckAsync(url, ct) is { } refused)
            v.Add("url", refused);
        var events = input.Events is { Count: > 0 } list ? list.Select(e => e?.Trim() ?? "").Distinct().ToList() : ["*"];
        foreach (var e in events)
            if (!EventPattern().IsMatch(e)) v.Add("events", $"'{e}' is not an event filter; use names like lead.assigned, lead.* or *.");
        if (input.Secret is { } s && s.Length is < 16 or > 200) v.Add("secret", "Must be 16 to 200 characters (or leave it out to have one generated).");
        if (!v.IsValid) return (null, v);

        var secret = input.Secret ?? "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', 'A').Replace('/', 'B').TrimEnd('=');
        var now = clock.GetUtcNow();
        var name = input.Name!.Trim();
        var id = await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<long>(
            "INSERT INTO webhook_subscriptions (name, url, secret, events, created_at) VALUES (@name, @url, @secret, @events, @now) RETURNING id",
            new { name, url = url!.ToString(), secret, events = Json.Write(events), now = now.ToUnixTimeMilliseconds() }, tx), ct);
        return (new Created(id, name, url!.ToString(), events, now, secret), v);
    }

    public async Task<IReadOnlyList<Subscription>> ListAsync(CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<Row>(
            "SELECT id, name, url, events, created_at FROM webhook_subscriptions WHERE deleted_at IS NULL ORDER BY id"), ct)).Select(r => r.ToSubscription()).ToList();

    /// <summary>Stops deliveries to the subscription; its delivery log is kept, and what was still pending is cancelled.</summary>
    /// <returns>False when there is no such (active) subscription.</returns>
    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return await db.WriteAsync(async (c, tx) =>
        {
            var n = await c.ExecuteAsync("UPDATE webhook_subscriptions SET deleted_at = @now WHERE id = @id AND deleted_at IS NULL", new { id, now }, tx);
            await c.ExecuteAsync("UPDATE notification_deliveries SET status = 'cancelled' WHERE subscription_id = @id AND status = 'pending'", new { id }, tx);
            return n > 0;
        }, ct);
    }

    [GeneratedRegex(@"^(\*|[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?)$")]
    private static partial Regex EventPattern();
}

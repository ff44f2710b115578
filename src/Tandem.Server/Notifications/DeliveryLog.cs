using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Notifications;

/// <summary>The delivery log: every notification's destinations, their status, and each attempt with the receiver's answer.</summary>
internal static class DeliveryLog
{
    public sealed record AttemptDto(int Attempt, DateTimeOffset At, long DurationMs, int? StatusCode, string? Error);

    public sealed record DeliveryDto(long Id, long NotificationId, string Event, long? PersonId, long? UserId, string Channel, long? SubscriptionId,
        string Recipient, string Status, int Attempts, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, string? LastError,
        IReadOnlyList<AttemptDto> History);

    private static readonly string[] Statuses = ["pending", "delivered", "failed", "cancelled"];

    public static async Task<Results<Ok<IReadOnlyList<DeliveryDto>>, ValidationProblem>> List(string? status, string? channel, long? subscriptionId,
        long? personId, int? limit, Database db, CancellationToken ct)
    {
        if (status is not null && !Statuses.Contains(status)) return Problems.Field("status", $"Use one of {string.Join(", ", Statuses)}.");
        if (channel is not null and not (OutboxFanOut.Webhook or OutboxFanOut.Email)) return Problems.Field("channel", "Use webhook or email.");
        if (limit is < 1 or > 500) return Problems.Field("limit", "Must be between 1 and 500.");
        return TypedResults.Ok(await db.ReadAsync(async c =>
        {
            var rows = (await c.QueryAsync<Row>(
                "SELECT d.*, n.event, n.person_id, n.user_id FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id " +
                "WHERE (@status IS NULL OR d.status = @status) AND (@channel IS NULL OR d.channel = @channel) " +
                "AND (@subscriptionId IS NULL OR d.subscription_id = @subscriptionId) AND (@personId IS NULL OR n.person_id = @personId) " +
                "ORDER BY d.id DESC LIMIT @take", new { status, channel, subscriptionId, personId, take = limit ?? 100 })).ToList();
            var ids = rows.Select(r => r.Id).ToArray();
            var attempts = ids.Length == 0 ? [] : (await c.QueryAsync<(long DeliveryId, long Attempt, long AttemptedAt, long DurationMs, long? StatusCode, string? Error)>(
                $"SELECT delivery_id, attempt, attempted_at, duration_ms, status_code, error FROM delivery_attempts WHERE {Sql.In(c, "delivery_id", "@ids")} " +
                "ORDER BY attempt", new { ids })).ToList();
            var byDelivery = attempts.ToLookup(a => a.DeliveryId, a => new AttemptDto((int)a.Attempt, DateTimeOffset.FromUnixTimeMilliseconds(a.AttemptedAt),
                a.DurationMs, (int?)a.StatusCode, a.Error));
            return (IReadOnlyList<DeliveryDto>)rows.Select(r => new DeliveryDto(r.Id, r.NotificationId, r.Event, r.PersonId, r.UserId, r.Channel,
                r.SubscriptionId, r.Recipient, r.Status, (int)r.Attempts, r.Status == "pending" ? DateTimeOffset.FromUnixTimeMilliseconds(r.NextAttemptAt) : null,
                r.DeliveredAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null, r.LastError, byDelivery[r.Id].ToList())).ToList();
        }, ct));
    }

    /// <summary>Sends a failed (or cancelled) delivery again now, with a fresh set of attempts.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Retry(long id, Database db, TimeProvider clock, CancellationToken ct)
    {
        var status = await RetryAsync(id, db, clock, ct);
        return status switch
        {
            null => Problems.NotFound("Delivery", id),
            "failed" or "cancelled" => TypedResults.NoContent(),
            _ => Problems.Conflict($"The delivery is {status}.", "Only failed or cancelled deliveries can be retried."),
        };
    }

    /// <returns>The delivery's status before the retry (it was retried when failed or cancelled), or null when there is none.</returns>
    public static async Task<string?> RetryAsync(long id, Database db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return await db.WriteAsync(async (c, tx) =>
        {
            var current = await c.QuerySingleOrDefaultAsync<string>("SELECT status FROM notification_deliveries WHERE id = @id", new { id }, tx);
            if (current is "failed" or "cancelled")
                await c.ExecuteAsync("UPDATE notification_deliveries SET status = 'pending', attempts = 0, next_attempt_at = @now WHERE id = @id", new { id, now }, tx);
            return current;
        }, ct);
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public long NotificationId { get; set; }
        public string Event { get; set; } = "";
        public long? PersonId { get; set; }
        public long? UserId { get; set; }
        public string Channel { get; set; } = "";
        public long? SubscriptionId { get; set; }
        public string Recipient { get; set; } = "";
        public string Status { get; set; } = "";
        public long Attempts { get; set; }
        public long NextAttemptAt { get; set; }
        public long? DeliveredAt { get; set; }
        public string? LastError { get; set; }
    }
}

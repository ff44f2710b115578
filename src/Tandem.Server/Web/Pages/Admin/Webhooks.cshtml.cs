using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;
using Tandem.Server.Notifications;
using Tandem.Server.Stall;
using Tandem.Server.Storage;

namespace Tandem.Server.Web.Pages.Admin;

/// <summary>Admins subscribe receivers to events (the signing secret shown once), unsubscribe them, and see and retry recent deliveries.</summary>
internal sealed class WebhooksModel(WebhookSubscriptions subscriptions, Database db, TimeProvider clock, IMemoryCache shownOnce) : TandemPageModel
{
    private static readonly TimeSpan TicketLife = TimeSpan.FromMinutes(1);

    /// <summary>The events offered as boxes to tick; any other filter (lead.*, nurture.webhook…) can be typed.</summary>
    public static readonly IReadOnlyList<(string Name, string Says)> KnownEvents =
    [
        (Outbox.LeadAssigned, "a lead got an owner"), (Outbox.LeadUnassigned, "a lead is waiting for an owner"), (Outbox.LeadReplied, "a lead replied to an email"),
        (StallEvents.LeadStalled, "a lead stalled"), (StallEvents.LeadRevived, "a stalled lead came back"),
        (PersonWebhooks.Created, "a person was created"), (PersonWebhooks.Updated, "a person's fields changed"), (PersonWebhooks.Merged, "two people were merged"),
        (PersonWebhooks.StageChanged, "a person moved stage"), (PersonWebhooks.BecameMql, "a person became an MQL"), (PersonWebhooks.ScoreChanged, "a person's score changed noticeably"),
    ];

    public sealed record Delivery(long Id, string Event, long? SubscriptionId, string Recipient, string Status, long Attempts, long CreatedAt, long? DeliveredAt,
        string? LastError);

    public IReadOnlyList<WebhookSubscriptions.Subscription> Subscriptions { get; private set; } = [];
    public IReadOnlyList<Delivery> Deliveries { get; private set; } = [];
    public WebhookSubscriptions.Created? NewSubscription { get; private set; }
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public async Task OnGetAsync([FromQuery] string? created, CancellationToken ct)
    {
        if (created is { Length: > 0 } && shownOnce.TryGetValue(Ticket(created), out WebhookSubscriptions.Created? made))
        {
            shownOnce.Remove(Ticket(created));
            NewSubscription = made;
        }
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync([FromForm] string? name, [FromForm] string? url, [FromForm] string[]? events,
        [FromForm] string? otherEvents, CancellationToken ct)
    {
        var chosen = (events ?? []).Concat((otherEvents ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var (made, problems) = await subscriptions.CreateAsync(new WebhookSubscriptions.Input(name, url, chosen.Count == 0 ? null : chosen, null), ct);
        if (made is null)
        {
            Errors = problems.Errors;
            Response.StatusCode = 422;
            await LoadAsync(ct);
            return Page();
        }
        var ticket = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        shownOnce.Set(Ticket(ticket), made, TicketLife);
        return Redirect($"/admin/webhooks?created={ticket}");
    }

    public async Task<IActionResult> OnPostDeleteAsync([FromForm] long id, CancellationToken ct)
    {
        Tell(await subscriptions.DeleteAsync(id, ct) ? "Unsubscribed. Deliveries still waiting were cancelled; the log is kept." : "That subscription was already removed.");
        return Redirect("/admin/webhooks");
    }

    public async Task<IActionResult> OnPostRetryAsync([FromForm] long id, CancellationToken ct)
    {
        var was = await DeliveryLog.RetryAsync(id, db, clock, ct);
        Tell(was is "failed" or "cancelled" ? $"Delivery {id} is being sent again." : $"Delivery {id} cannot be retried (it is {was ?? "gone"}).", error: was is not ("failed" or "cancelled"));
        return Redirect("/admin/webhooks");
    }

    private static string Ticket(string ticket) => "new-webhook:" + ticket;

    private async Task LoadAsync(CancellationToken ct)
    {
        Subscriptions = await subscriptions.ListAsync(ct);
        Deliveries = (await db.ReadAsync(c => c.QueryAsync<Delivery>(
            "SELECT d.id, n.event, d.subscription_id, d.recipient, d.status, d.attempts, d.created_at, d.delivered_at, d.last_error " +
            "FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE d.channel = 'webhook' ORDER BY d.id DESC LIMIT 50"), ct)).ToList();
    }
}

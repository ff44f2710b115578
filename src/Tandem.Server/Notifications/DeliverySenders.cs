using System.Net.Mail;
using System.Text;
using System.Text.Json;
using Tandem.Server.Storage;

namespace Tandem.Server.Notifications;

/// <summary>Posts a notification to a webhook subscriber, signed with the subscription's secret.</summary>
internal sealed class WebhookSender(IHttpClientFactory clients, TimeProvider clock)
{
    public const string ClientName = "tandem-webhooks";

    /// <returns>The receiver's status code, and an error unless it answered 2xx.</returns>
    public async Task<(int? Status, string? Error)> SendAsync(ClaimedDelivery d, CancellationToken ct)
    {
        var body = Json.Write(new
        {
            id = d.Id,
            @event = d.Event,
            notificationId = d.NotificationId,
            createdAt = DateTimeOffset.FromUnixTimeMilliseconds(d.CreatedAt),
            attempt = d.Attempts + 1,
            data = JsonDocument.Parse(d.Payload).RootElement,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, d.Recipient) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Tandem-Event", d.Event);
        request.Headers.Add("Tandem-Delivery", d.Id.ToString());
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(d.Secret ?? "", clock.GetUtcNow().ToUnixTimeSeconds(), body));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (status, null) : (status, Answered(status));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return (null, Failure(e));
        }
    }

    // What the log says of a failure is Tandem's own words: the delivery log is open to read-scope keys, and a receiver's
    // reason phrase, body or malformed headers (which .NET quotes in its exceptions) could carry anything.
    private static string Answered(int status) => status is >= 300 and < 400
        ? $"The receiver answered {status}, a redirect; webhooks follow none, so give the final URL."
        : $"The receiver answered {status}.";

    private static string Failure(Exception e) => e switch
    {
        TaskCanceledException => "The receiver did not answer in time.",
        HttpRequestException { InnerException: WebhookAddressRefused refused } => refused.Message,
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "The receiver's host name does not resolve.",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "Could not connect to the receiver.",
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "The TLS connection to the receiver failed (its certificate or protocol).",
        HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError } =>
            "The receiver's answer was not valid HTTP.",
        _ => "The request to the receiver failed.",
    };
}

/// <summary>Emails the user a notification is for, over the configured SMTP server.</summary>
internal sealed class EmailSender(NotificationOptions options)
{
    public async Task<string?> SendAsync(ClaimedDelivery d, CancellationToken ct)
    {
        var smtp = options.Smtp;
        var (subject, text) = EmailText.For(d.Event, d.Payload, d.UserId);
        try
        {
            using var client = new SmtpClient(smtp.Host!, smtp.Port) { EnableSsl = smtp.EnableSsl, DeliveryMethod = SmtpDeliveryMethod.Network };
            if (!string.IsNullOrEmpty(smtp.UserName)) client.Credentials = new System.Net.NetworkCredential(smtp.UserName, smtp.Password);
            using var message = new MailMessage(smtp.From!, d.Recipient, subject, text) { BodyEncoding = Encoding.UTF8, SubjectEncoding = Encoding.UTF8 };
            message.Headers.Add("X-Tandem-Event", d.Event);
            message.Headers.Add("X-Tandem-Delivery", d.Id.ToString());
            await client.SendMailAsync(message, ct);
            return null;
        }
        catch (Exception e) when (e is SmtpException or InvalidOperationException or FormatException or System.Net.Sockets.SocketException)
        {
            return e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
        }
    }
}

/// <summary>The words of a notification email, from the event and its payload.</summary>
internal static class EmailText
{
    public static (string Subject, string Body) For(string @event, string payload, long? userId)
    {
        using var doc = JsonDocument.Parse(payload);
        var root = doc.RootElement;
        var person = root.TryGetProperty("person", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        string? S(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var name = string.Join(' ', new[] { S(person, "firstName"), S(person, "lastName") }.Where(x => x is not null));
        var who = name.Length > 0 ? name : S(person, "email") ?? "a lead";
        var company = S(person, "company") is { } co ? $" ({co})" : "";
        var owner = root.TryGetProperty("owner", out var o) && o.ValueKind == JsonValueKind.Object ? o : default;
        var ownerId = owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty("id", out var oid) ? oid.GetInt64() : (long?)null;
        var subject = @event switch
        {
            Outbox.LeadAssigned when ownerId == userId => $"New lead for you: {who}{company}",
            Outbox.LeadAssigned => $"{S(owner, "name")} got a new lead: {who}{company}",
            Outbox.LeadUnassigned => $"A lead is waiting for an owner: {who}{company}",
            Outbox.LeadReplied => $"{who}{company} replied" + (S(Reply(root), "emailSubject") is { } about ? $" to \"{about}\"" : ""),
            Stall.StallEvents.LeadStalled => $"Stalled: {who}{company} — {S(root, "rule")}",
            Stall.StallEvents.LeadRevived => $"Revived: {who}{company} {S(root, "cause")}",
            _ => InApp.InAppText.For(@event, payload, userId ?? 0, null, null).Title,
        };
        var body = new StringBuilder();
        body.AppendLine(subject).AppendLine();
        foreach (var field in new[] { "email", "phone", "title", "country", "stage", "grade" })
            if (S(person, field) is { } value) body.AppendLine($"{field}: {value}");
        if (S(root, "explanation") is { } why) body.AppendLine().AppendLine($"Why: {why}");
        if (S(root, "story") is { } story) body.AppendLine().AppendLine($"The stall: {story}");
        if (@event is InApp.InAppEvents.NoteMentioned or InApp.InAppEvents.ImportFinished or InApp.InAppEvents.RescoreFinished
            && InApp.InAppText.For(@event, payload, userId ?? 0, null, null).Detail is { } detail) body.AppendLine().AppendLine(detail);
        if (S(Reply(root), "text") is { Length: > 0 } said) body.AppendLine().AppendLine("They wrote:").AppendLine(said);
        body.AppendLine().AppendLine($"Event: {@event}");
        return (subject, body.ToString());
    }

    private static JsonElement Reply(JsonElement root) =>
        root.TryGetProperty("reply", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
}

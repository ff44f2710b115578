using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tandem.Server.Email.Inbound;

/// <summary>
/// Reads what Amazon SNS posts for Amazon SES: an SNS envelope (Type Notification, SubscriptionConfirmation or
/// UnsubscribeConfirmation, MessageId, Message) whose Message is the SES notification as a JSON string — or, with raw
/// message delivery, the SES notification itself. SES notifications carry notificationType (event publishing:
/// eventType) Bounce, Complaint or Delivery, the original email in "mail" (destination, headers, commonHeaders) and
/// one recipient list per type.
/// </summary>
internal static class SesNotifications
{
    public static IReadOnlyList<InboundFinding> Read(JsonElement root)
    {
        var type = Str(root, "Type");
        if (type is "SubscriptionConfirmation" or "UnsubscribeConfirmation")
        {
            // Confirming means fetching SubscribeURL. Tandem does not fetch URLs that arrive in requests (the request could
            // point it anywhere), so the URL is kept for an administrator to open.
            var what = type == "SubscriptionConfirmation" ? "confirm the subscription" : "confirm the unsubscription";
            return [new(InboundKinds.SubscriptionConfirmation,
                $"Amazon SNS asks to {what} of topic {Str(root, "TopicArn")}: an administrator opens {Str(root, "SubscribeURL")} to do so",
                new(), null, Str(root, "MessageId") ?? Hash(root))];
        }
        if (type == "Notification")
        {
            var message = Str(root, "Message");
            if (message is null) return [];
            using var inner = JsonDocument.Parse(message);
            return Notification(inner.RootElement, Str(root, "MessageId") ?? Hash(root));
        }
        return Notification(root, null);
    }

    private static IReadOnlyList<InboundFinding> Notification(JsonElement n, string? snsId)
    {
        var kind = Str(n, "notificationType") ?? Str(n, "eventType");
        var mail = n.TryGetProperty("mail", out var m) ? m : default;
        var clues = Clues(mail);
        var findings = new List<InboundFinding>();
        void Add(string k, string detail, string? address, JsonElement body, DateTimeOffset? at)
        {
            var baseId = snsId ?? Str(body, "feedbackId") ?? Hash(n);
            var id = findings.Count == 0 ? baseId : $"{baseId}#{findings.Count}";
            findings.Add(new(k, detail, clues with { Recipient = address }, address, id, at));
        }
        switch (kind)
        {
            case "Bounce" when n.TryGetProperty("bounce", out var b):
                var permanent = Str(b, "bounceType") == "Permanent";
                foreach (var r in Items(b, "bouncedRecipients"))
                    Add(permanent ? InboundKinds.HardBounce : InboundKinds.SoftBounce,
                        $"{Str(b, "bounceType")}/{Str(b, "bounceSubType")} {Str(r, "status")}: {Str(r, "diagnosticCode") ?? "no diagnostic"}",
                        Str(r, "emailAddress"), b, Time(b));
                break;
            case "Complaint" when n.TryGetProperty("complaint", out var c):
                foreach (var r in Items(c, "complainedRecipients"))
                    Add(InboundKinds.Complaint, $"{Str(c, "complaintFeedbackType") ?? "complaint"} report" +
                        (Str(c, "userAgent") is { } ua ? $" from {ua}" : ""), Str(r, "emailAddress"), c, Time(c));
                break;
            case "Delivery" when n.TryGetProperty("delivery", out var d):
                foreach (var r in Items(d, "recipients"))
                    Add(InboundKinds.Delivered, $"delivered: {Str(d, "smtpResponse")}", r.ValueKind == JsonValueKind.String ? r.GetString() : null, d, Time(d));
                break;
            case "DeliveryDelay" when n.TryGetProperty("deliveryDelay", out var dd):
                foreach (var r in Items(dd, "delayedRecipients"))
                    Add(InboundKinds.Deferred, $"delayed ({Str(dd, "delayType")}) {Str(r, "status")}: {Str(r, "diagnosticCode")}",
                        Str(r, "emailAddress"), dd, Time(dd));
                break;
        }
        return findings;
    }

    /// <summary>Our send id from the original's headers (when SES includes them) and our Message-ID from its common headers.</summary>
    private static SendClues Clues(JsonElement mail)
    {
        if (mail.ValueKind != JsonValueKind.Object) return new();
        long? sendId = null;
        foreach (var h in Items(mail, "headers"))
            if (string.Equals(Str(h, "name"), MimeInbound.SendHeader, StringComparison.OrdinalIgnoreCase) && long.TryParse(Str(h, "value"), out var s))
                sendId = s;
        var ids = new List<string>();
        if (mail.TryGetProperty("commonHeaders", out var common) && Str(common, "messageId") is { Length: > 0 } mid) ids.Add(MimeInbound.Bare(mid));
        return new(sendId, null, ids);
    }

    private static IEnumerable<JsonElement> Items(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray() : [];

    private static DateTimeOffset? Time(JsonElement e) => DateTimeOffset.TryParse(Str(e, "timestamp"), out var t) ? t : null;

    private static string Hash(JsonElement e) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(e.GetRawText())));

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

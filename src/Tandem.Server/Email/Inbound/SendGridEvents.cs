using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tandem.Server.Email.Inbound;

/// <summary>
/// Reads a SendGrid Event Webhook post: a JSON array of events, each with email, event, sg_event_id, timestamp (Unix
/// seconds), smtp-id (our Message-ID when the email went through SendGrid's SMTP relay) and any custom arguments as
/// top-level fields. Opens, clicks and "processed" are left out: Tandem tracks opens and clicks itself.
/// </summary>
internal static class SendGridEvents
{
    /// <summary>The custom argument that carries our send id (X-SMTPAPI unique_args or the v3 API's custom_args).</summary>
    public const string SendIdArgument = "tandem_send_id";

    public static IReadOnlyList<InboundFinding> Read(JsonElement events)
    {
        var findings = new List<InboundFinding>();
        if (events.ValueKind != JsonValueKind.Array) return findings;
        foreach (var e in events.EnumerateArray())
            if (e.ValueKind == JsonValueKind.Object && ReadOne(e) is { } f) findings.Add(f);
        return findings;
    }

    private static InboundFinding? ReadOne(JsonElement e)
    {
        var email = Str(e, "email")?.Trim();
        var reason = Str(e, "reason");
        var status = Str(e, "status");
        var (kind, detail) = Str(e, "event") switch
        {
            // SendGrid's "blocked" is a bounce the receiving server gave for a reason other than the address (reputation,
            // content, a block list): the address may well be fine, so it counts as soft.
            "bounce" when Str(e, "type") == "blocked" => (InboundKinds.SoftBounce, $"blocked {status}: {reason}"),
            "bounce" => (InboundKinds.HardBounce, $"bounce {status}: {reason}"),
            "dropped" => Dropped(reason),
            "spamreport" => (InboundKinds.Complaint, "spam report"),
            "delivered" => (InboundKinds.Delivered, $"delivered: {Str(e, "response")}"),
            "deferred" => (InboundKinds.Deferred, $"deferred (attempt {Str(e, "attempt") ?? "?"}): {Str(e, "response")}"),
            "unsubscribe" => (InboundKinds.Unsubscribed, "unsubscribed through SendGrid"),
            "group_unsubscribe" => (InboundKinds.Unsubscribed, $"unsubscribed from SendGrid group {Str(e, "asm_group_id")}"),
            _ => (null, null),
        };
        if (kind is null) return null;
        var messageIds = new[] { Str(e, "smtp-id") }.Where(m => !string.IsNullOrWhiteSpace(m)).Select(m => MimeInbound.Bare(m!)).ToList();
        long? sendId = long.TryParse(Str(e, SendIdArgument), out var s) ? s : null;
        var eventId = Str(e, "sg_event_id") ?? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(e.GetRawText())));
        DateTimeOffset? at = e.TryGetProperty("timestamp", out var ts) && ts.TryGetInt64(out var secs) ? DateTimeOffset.FromUnixTimeSeconds(secs) : null;
        return new(kind, detail!.Trim(' ', ':'), new(sendId, null, messageIds, email), email, eventId, at);
    }

    /// <summary>SendGrid drops an email it will not try, naming its own list the address is on.</summary>
    private static (string, string) Dropped(string? reason) => reason switch
    {
        _ when Has(reason, "Bounced Address") || Has(reason, "Invalid") => (InboundKinds.HardBounce, $"dropped: {reason}"),
        _ when Has(reason, "Spam Reporting Address") => (InboundKinds.Complaint, $"dropped: {reason}"),
        _ when Has(reason, "Unsubscribed Address") => (InboundKinds.Unsubscribed, $"dropped: {reason}"),
        _ => (InboundKinds.Dropped, $"dropped: {reason}"),
    };

    private static bool Has(string? text, string part) => text?.Contains(part, StringComparison.OrdinalIgnoreCase) == true;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;
}

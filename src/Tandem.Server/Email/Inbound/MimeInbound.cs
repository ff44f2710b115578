using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MimeKit;
using Tandem.Domain.Email.Inbound;

namespace Tandem.Server.Email.Inbound;

/// <summary>
/// Reads one raw RFC 5322 message posted to the inbound hook: an RFC 3464 delivery report (a bounce), an RFC 5965
/// ARF feedback report (a complaint), or else an answer to one of our emails — a person's reply or an auto-reply.
/// </summary>
internal static partial class MimeInbound
{
    /// <summary>The header the sender stamps on every email with its send id, so reports that return headers name it.</summary>
    public const string SendHeader = "X-Tandem-Send";

    /// <param name="envelopeRecipients">Recipients the relay or provider names outside the message (SendGrid's envelope).</param>
    public static IReadOnlyList<InboundFinding> Read(MimeMessage message, byte[] raw, IReadOnlyList<string> envelopeRecipients)
    {
        var eventId = message.MessageId is { Length: > 0 } id ? id : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(raw));
        var report = Descendants(message.Body).OfType<MultipartReport>().FirstOrDefault();
        var findings = report?.ReportType?.ToLowerInvariant() switch
        {
            "delivery-status" or "global-delivery-status" => DeliveryReport(report, eventId),
            "feedback-report" => FeedbackReport(report, eventId),
            _ => null,
        };
        if (findings is not null) return findings;
        if (IsFromMailSystem(message))
            return [new(InboundKinds.Unmatched, $"a bounce from {message.From} not in RFC 3464 form: \"{message.Subject}\"", new(), null, eventId)];
        return [Answer(message, envelopeRecipients, eventId)];
    }

    private static IReadOnlyList<InboundFinding> DeliveryReport(MultipartReport report, string eventId)
    {
        var status = Descendants(report).OfType<MessageDeliveryStatus>().FirstOrDefault();
        var returned = ReturnedHeaders(report);
        var clues = CluesFrom(returned);
        var findings = new List<InboundFinding>();
        if (status is null || status.StatusGroups.Count < 2)
            return [new(InboundKinds.Unmatched, "a delivery report without per-recipient fields", clues, null, eventId)];
        var reportingMta = AfterType(status.StatusGroups[0]["Reporting-MTA"]);
        foreach (var group in status.StatusGroups.Skip(1))
        {
            var recipient = AfterType(group["Original-Recipient"]) ?? AfterType(group["Final-Recipient"]);
            var action = group["Action"]?.Trim();
            var code = DeliveryStatus.StatusCode(group["Status"]) ?? group["Status"]?.Trim();
            var diagnostic = group["Diagnostic-Code"] is { } d ? Oneline(AfterType(d) ?? d) : null;
            var kind = DeliveryStatus.Classify(action, code) switch
            {
                DeliveryOutcome.HardBounce => InboundKinds.HardBounce,
                DeliveryOutcome.SoftBounce or DeliveryOutcome.Delayed => InboundKinds.SoftBounce,
                DeliveryOutcome.Delivered => InboundKinds.Delivered,
                _ => null,
            };
            if (kind is null) continue;
            var detail = $"{action ?? "no action"} {code}".Trim() + (diagnostic is null ? "" : $": {diagnostic}") +
                (reportingMta is null ? "" : $" (reported by {reportingMta})");
            var id = findings.Count == 0 ? eventId : $"{eventId}#{findings.Count}";
            findings.Add(new(kind, Cap(detail), clues with { Recipient = recipient ?? clues.Recipient }, recipient ?? clues.Recipient, id));
        }
        return findings.Count > 0 ? findings : [new(InboundKinds.Unmatched, "a delivery report naming no failed recipient", clues, null, eventId)];
    }

    private static IReadOnlyList<InboundFinding> FeedbackReport(MultipartReport report, string eventId)
    {
        var fields = Descendants(report).OfType<MessageFeedbackReport>().FirstOrDefault()?.Fields;
        var returned = ReturnedHeaders(report);
        var clues = CluesFrom(returned);
        var type = fields?["Feedback-Type"]?.Trim().ToLowerInvariant() ?? "abuse";
        var agent = fields?["User-Agent"]?.Trim();
        var recipient = fields?["Original-Rcpt-To"]?.Trim().Trim('<', '>') ?? clues.Recipient;
        if (type == "not-spam")
            return [new(InboundKinds.Unmatched, $"a not-spam feedback report{(agent is null ? "" : " from " + agent)}: nothing to do", clues, recipient, eventId)];
        var detail = $"{type} report" + (agent is null ? "" : $" from {agent}");
        return [new(InboundKinds.Complaint, Cap(detail), clues with { Recipient = recipient }, recipient, eventId)];
    }

    private static InboundFinding Answer(MimeMessage message, IReadOnlyList<string> envelopeRecipients, string eventId)
    {
        var recipients = envelopeRecipients
            .Concat(message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address))
            .Concat(new[] { "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To" }.SelectMany(h => message.Headers.Where(x => x.Field.Equals(h, StringComparison.OrdinalIgnoreCase)).Select(x => x.Value)));
        var token = recipients.Select(ReplyAddress.Token).FirstOrDefault(t => t is not null);
        var threadIds = message.References.Prepend(message.InReplyTo ?? "").Where(i => i.Length > 0).Select(Bare).Distinct().ToList();
        var clues = new SendClues(ReplyToken: token, MessageIds: threadIds);
        var from = message.From.Mailboxes.FirstOrDefault()?.Address ?? "";
        var autoReason = AutoReplies.Reason(name => message.Headers[name], message.Subject);
        var text = ReplyText.NewText(message.TextBody ?? HtmlToText(message.HtmlBody));
        var reply = new ReplyContent(from, message.Subject, text);
        return autoReason is null
            ? new(InboundKinds.Reply, Cap($"reply from {from}: {Oneline(text)}"), clues, from, eventId, message.Date == default ? null : message.Date, reply)
            : new(InboundKinds.AutoReply, Cap($"auto-reply from {from} ({autoReason})"), clues, from, eventId, message.Date == default ? null : message.Date, reply);
    }

    /// <summary>The original's headers a report returns: text/rfc822-headers or a whole message/rfc822.</summary>
    private static HeaderList? ReturnedHeaders(Multipart report) =>
        Descendants(report).OfType<MessagePart>().Select(p => p.Message?.Headers).FirstOrDefault(h => h is { Count: > 0 });

    private static SendClues CluesFrom(HeaderList? headers)
    {
        if (headers is null) return new();
        long? sendId = long.TryParse(headers[SendHeader]?.Trim(), out var s) ? s : null;
        var messageId = headers[HeaderId.MessageId] is { } m ? Bare(m) : null;
        var to = headers[HeaderId.To] is { } t && InternetAddressList.TryParse(t, out var list) ? list.Mailboxes.FirstOrDefault()?.Address : null;
        return new(sendId, null, messageId is null ? [] : [messageId], to);
    }

    private static bool IsFromMailSystem(MimeMessage message) =>
        message.From.Mailboxes.Any(m => m.LocalPart.Equals("mailer-daemon", StringComparison.OrdinalIgnoreCase) ||
            m.LocalPart.Equals("postmaster", StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<MimeEntity> Descendants(MimeEntity? root)
    {
        if (root is null) yield break;
        yield return root;
        if (root is Multipart multipart)
            foreach (var child in multipart)
                foreach (var d in Descendants(child))
                    yield return d;
    }

    /// <summary>"rfc822; ana@example.com" → "ana@example.com"; "dns; mx.example.com" → "mx.example.com".</summary>
    private static string? AfterType(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var semi = value.IndexOf(';');
        var rest = (semi >= 0 ? value[(semi + 1)..] : value).Trim();
        return rest.Length == 0 ? null : rest.Trim('<', '>');
    }

    public static string Bare(string messageId) => messageId.Trim().Trim('<', '>').Trim();

    private static string Oneline(string text) => Whitespace().Replace(text, " ").Trim();

    private static string Cap(string text) => text.Length <= 500 ? text : text[..500] + "…";

    private static string? HtmlToText(string? html) =>
        html is null ? null : System.Net.WebUtility.HtmlDecode(Tags().Replace(BlockEnds().Replace(html, "\n"), ""));

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"<br\s*/?>|</p>|</div>|</blockquote>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnds();
}

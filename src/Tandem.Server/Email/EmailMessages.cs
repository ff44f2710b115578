using MimeKit;

namespace Tandem.Server.Email;

/// <summary>The MIME message for a send: multipart/alternative (text, then HTML) with our own Message-ID and headers.</summary>
internal static class EmailMessages
{
    public const string SendHeader = "X-Tandem-Send";

    /// <remarks>
    /// Marketing email carries RFC 8058 one-click unsubscribe headers pointing at the signed unsubscribe link. No email
    /// here carries Auto-Submitted: program and confirmation emails are written to people who may answer them, and
    /// auto-responders are asked to reply to them as usual (their auto-replies are recognised when they arrive).
    /// </remarks>
    public static MimeMessage Build(ClaimedSend send, EmailLinks links, DateTimeOffset date)
    {
        var message = new MimeMessage { Subject = send.Subject, MessageId = send.MessageId, Date = date };
        message.From.Add(MailboxAddress.Parse(send.FromAddress));
        message.To.Add(MailboxAddress.Parse(send.ToAddress));
        if (!string.IsNullOrWhiteSpace(send.ReplyTo)) message.ReplyTo.Add(MailboxAddress.Parse(send.ReplyTo));
        message.Headers.Add(SendHeader, send.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (send.IsMarketing)
        {
            message.Headers.Add("List-Unsubscribe", $"<{links.UnsubscribeUrl(send.Id)}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        message.Body = new BodyBuilder { TextBody = send.TextBody, HtmlBody = send.HtmlBody }.ToMessageBody();
        return message;
    }

    /// <summary>The lower-cased domain of an address as stored ("Sam &lt;sam@acme.io&gt;" → "acme.io").</summary>
    public static string DomainOf(string address) =>
        MailboxAddress.TryParse(address, out var mailbox) ? mailbox.Domain.ToLowerInvariant() : address.Split('@').Last().TrimEnd('>').ToLowerInvariant();
}

using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using MimeKit;

namespace Tandem.Server.Email;

/// <summary>
/// Queues one email: checks the holds (<see cref="EmailHolds"/>), renders the template for the person now — so the
/// email sent is the one that was decided on, whatever changes later — and writes the <c>email_sends</c> row in the
/// caller's transaction. The sender (<see cref="EmailSender"/>) delivers it later.
/// </summary>
internal sealed class EmailQueue(IServiceProvider services, EmailOptions options) : IEmailQueue
{
    public async Task<EmailQueueOutcome> QueueAsync(DbConnection c, DbTransaction tx, EmailRequest request, long now)
    {
        if (request.EnrollmentId is { } enrollmentId)
        {
            // A step asked twice (a retried tick, a second server) gets the first send back; the unique index makes a race
            // that gets past this read fail, and the retried transaction then finds the winner's row here.
            var existing = await c.QuerySingleOrDefaultAsync<long?>(
                "SELECT id FROM email_sends WHERE enrollment_id = @enrollmentId AND step_key = @StepKey", new { enrollmentId, request.StepKey }, tx);
            if (existing is { } id) return new EmailQueueOutcome(id);
        }

        var template = await EmailTemplateStore.GetAsync(c, tx, request.TemplateId)
            ?? throw new InvalidOperationException($"No email template has id {request.TemplateId}.");
        var person = await EmailRecipients.LoadAsync(c, tx, request.PersonId);
        var settings = await EmailSettings.ReadAsync(c, tx);
        if (await EmailHolds.CheckAsync(c, tx, request.PersonId, person, template, request.Kind, settings, now) is { } hold) return hold;

        // The holds have checked there is a person with an address and a From address.
        var fromAddress = settings.FromAddress!;
        var from = new MailboxAddress(settings.FromName ?? settings.CompanyName, fromAddress);
        var fromDomain = fromAddress.Split('@').Last();
        var toAddress = person!.Address!;
        var replyToken = NewToken();
        var replyTo = options.ReplyDomain is { Length: > 0 } domain ? $"reply+{replyToken}@{domain}" : settings.ReplyTo;
        var sendId = await c.QuerySingleAsync<long>(
            "INSERT INTO email_sends (person_id, template_id, kind, topic, program_id, enrollment_id, step_key, to_address, from_address, reply_to, " +
            "subject, text_body, html_body, message_id, reply_token, status, queued_at, next_attempt_at) VALUES (@PersonId, @TemplateId, @kind, " +
            "@Topic, @ProgramId, @EnrollmentId, @StepKey, @to, @from, @replyTo, '', '', '', @messageId, @replyToken, 'queued', @now, @now) RETURNING id",
            new
            {
                request.PersonId, request.TemplateId, kind = EmailKinds.Of(request.Kind), template.Topic, request.ProgramId, request.EnrollmentId,
                request.StepKey, to = new MailboxAddress(person.Name, toAddress).ToString(), from = from.ToString(), replyTo,
                messageId = $"{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}@{fromDomain}", replyToken, now,
            }, tx);

        // The links an email carries are signed with its send id, so it is rendered once the row exists.
        var email = EmailComposer.Compose(template.Content, person.Data, request.Kind, settings, services.GetRequiredService<EmailLinks>(), sendId,
            person.PersonId);
        await c.ExecuteAsync("UPDATE email_sends SET subject = @Subject, text_body = @Text, html_body = @Html WHERE id = @sendId",
            new { email.Subject, email.Text, email.Html, sendId }, tx);
        return new EmailQueueOutcome(sendId);
    }

    /// <summary>
    /// A random token (128 bits) that is URL-safe and survives in the local part of an address: lower-case hex, since
    /// some relays change the case of local parts.
    /// </summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

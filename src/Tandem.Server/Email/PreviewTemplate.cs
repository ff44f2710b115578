using Microsoft.AspNetCore.Http.HttpResults;
using MimeKit;
using Tandem.Domain.Email;
using Tandem.Domain.Identity;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Email;

/// <summary>
/// POST /api/v1/email/templates/{id}/preview renders a template with one person's data (or, without a person, every
/// merge field's default); POST …/test-send sends that rendering to an address now, subject marked "[Test]". Neither
/// writes a send: nothing is recorded on the person or counted against the frequency cap, and the unsubscribe link of
/// a preview or test belongs to no send.
/// </summary>
internal static class PreviewTemplate
{
    public sealed record PreviewRequest(long? PersonId);

    public sealed record Preview(string Subject, string Html, string Text);

    public sealed record TestSendRequest(string? To, long? PersonId);

    public sealed record TestSent(string To, string Subject, string MessageId);

    public static async Task<Results<Ok<Preview>, ValidationProblem, ProblemHttpResult>> Handle(long id, PreviewRequest? request, Database db,
        EmailLinks links, CancellationToken ct)
    {
        var rendered = await RenderAsync(id, request?.PersonId, db, links, ct);
        if (rendered.Problem is { } problem) return problem;
        if (rendered.Invalid is { } invalid) return invalid;
        var email = rendered.Email!;
        return TypedResults.Ok(new Preview(email.Subject, email.Html, email.Text));
    }

    public static async Task<Results<Ok<TestSent>, ValidationProblem, ProblemHttpResult>> TestSend(long id, TestSendRequest request, Database db,
        EmailLinks links, EmailOptions options, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.To) || !EmailAddress.TryParse(request.To, out var to))
            return Problems.Field("to", "An address to send the test to is required, e.g. you@example.com.");
        if (!options.Smtp.IsConfigured)
            return Problems.Conflict("No SMTP relay is configured.", "Set Tandem:Email:Smtp:Host (and Port, Username, Password) in the configuration.");
        var rendered = await RenderAsync(id, request.PersonId, db, links, ct);
        if (rendered.Problem is { } problem) return problem;
        if (rendered.Invalid is { } invalid) return invalid;
        if (rendered.Settings!.FromAddress is null) return Problems.Conflict("No From address is set.", "Set fromAddress in /api/v1/email/settings first.");

        var email = rendered.Email!;
        var message = new MimeMessage
        {
            Subject = "[Test] " + email.Subject,
            MessageId = $"test-{EmailQueue.NewToken()}@{rendered.Settings.FromAddress.Split('@').Last()}",
            Date = clock.GetUtcNow(),
        };
        message.From.Add(new MailboxAddress(rendered.Settings.FromName ?? rendered.Settings.CompanyName, rendered.Settings.FromAddress));
        message.To.Add(new MailboxAddress(null, to.Value));
        if (rendered.Settings.ReplyTo is { } replyTo) message.ReplyTo.Add(new MailboxAddress(null, replyTo));
        message.Headers.Add("X-Tandem-Test", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        message.Body = new BodyBuilder { TextBody = email.Text, HtmlBody = email.Html }.ToMessageBody();

        await using var smtp = new SmtpSession(options.Smtp);
        var outcome = await smtp.SendAsync(message, ct);
        if (!outcome.Sent)
            return TypedResults.Problem(statusCode: 502, title: "The SMTP relay did not take the test email.", detail: outcome.Error);
        return TypedResults.Ok(new TestSent(to.Value, message.Subject, message.MessageId));
    }

    private sealed record Rendered(RenderedEmail? Email, EmailSettings? Settings, ProblemHttpResult? Problem = null, ValidationProblem? Invalid = null);

    private static async Task<Rendered> RenderAsync(long id, long? personId, Database db, EmailLinks links, CancellationToken ct) =>
        await db.ReadAsync(async c =>
        {
            var template = await EmailTemplateStore.GetAsync(c, null, id);
            if (template is null) return new Rendered(null, null, Problems.NotFound("Template", id));
            var data = MergeData.Empty;
            if (personId is { } pid)
            {
                var person = await EmailRecipients.LoadAsync(c, null, pid);
                if (person is null) return new Rendered(null, null, Invalid: Problems.Field("personId", $"No person has id {pid}."));
                data = person.Data;
            }
            var settings = await EmailSettings.ReadAsync(c, null);
            return new Rendered(EmailComposer.Compose(template.Content, data, template.EmailKind, settings, links, 0, personId ?? 0), settings);
        }, ct);
}

using System.Data.Common;
using Dapper;

namespace Tandem.Server.Email.Consent;

/// <summary>What a form submission says about consent, and the proof that goes with it.</summary>
internal sealed record FormConsentInput(long PersonId, string FormName, string? PageUrl, string? Ip, string? UserAgent);

/// <summary>
/// Consent captured by a form: a ticked consent field records the basis (consent) with its proof — the form, the page,
/// the IP and the browser — and a log row. When the workspace requires opt-in (<c>email.require_opt_in</c> = "true")
/// and the person has not opted in yet, consent is pending and the double opt-in email is queued in the same
/// transaction, so it goes out within seconds; the person's click on its link (<see cref="ConfirmPage"/>) opts them
/// in. A form never undoes an unsubscribe: only the person's re-subscribe on the preference page does.
/// </summary>
internal sealed class FormConsent(IServiceProvider services, ILogger<FormConsent> log)
{
    public const string DoubleOptInTemplate = "double-opt-in";

    /// <summary>The placeholder link of the built-in double opt-in template, replaced by the person's signed link.</summary>
    public const string ConfirmPlaceholder = "https://confirm.tandem.invalid/";

    /// <summary>The fields a form's consent is read from when the form names none.</summary>
    public static readonly IReadOnlyList<string> DefaultFields = ["consent", "emailConsent"];

    /// <summary>True for a ticked checkbox or a yes: "on" (a browser's checkbox), "true", "yes", "1".</summary>
    public static bool IsYes(string? value) =>
        value?.Trim().ToLowerInvariant() is "on" or "true" or "yes" or "1" or "y" or "checked";

    /// <returns>The consent status now, or null when nothing was recorded (the person is unsubscribed).</returns>
    public async Task<string?> RecordAsync(DbConnection c, DbTransaction tx, FormConsentInput input, long now)
    {
        var person = await People.PersonStore.FindLiveAsync(c, tx, input.PersonId);
        if (person?.Email is not { } address) return null;
        if (person.Unsubscribed != 0 || (await EmailSuppressions.ReasonsAsync(c, tx, address)).Contains(SuppressionReasons.Unsubscribed)) return null;

        var proof = new ConsentProof($"form {input.FormName}", input.Ip, ConsentProof.Limit(input.UserAgent), input.FormName, ConsentProof.Limit(input.PageUrl));
        var current = await ConsentStore.FindAsync(c, tx, person.Id);
        var requireOptIn = string.Equals(await c.QuerySingleOrDefaultAsync<string>(
            "SELECT value FROM workspace_settings WHERE key = 'email.require_opt_in'", transaction: tx), "true", StringComparison.OrdinalIgnoreCase);

        if (!requireOptIn || current?.Status == ConsentStatus.OptedIn)
        {
            await ConsentStore.SaveAsync(c, tx, person.Id, ConsentStatus.OptedIn, ConsentBasis.Consent, proof, current?.RequestedAt,
                current?.Status == ConsentStatus.OptedIn ? current.ConfirmedAt : null, now);
            await ConsentStore.LogAsync(c, tx, person.Id, "opted_in", proof, now, ConsentBasis.Consent, detail: $"ticked the consent box of form {input.FormName}");
            return ConsentStatus.OptedIn;
        }

        await ConsentStore.SaveAsync(c, tx, person.Id, ConsentStatus.Pending, ConsentBasis.Consent, proof, now, null, now);
        await ConsentStore.LogAsync(c, tx, person.Id, "confirm_requested", proof, now, ConsentBasis.Consent,
            detail: $"ticked the consent box of form {input.FormName}; the workspace requires opt-in, so a confirmation email was asked for");
        await QueueConfirmationRequestAsync(c, tx, person.Id, now);
        return ConsentStatus.Pending;
    }

    /// <summary>Queues the double opt-in email with the person's own signed confirmation link.</summary>
    public async Task<long?> QueueConfirmationRequestAsync(DbConnection c, DbTransaction tx, long personId, long now)
    {
        var templateId = await c.QuerySingleOrDefaultAsync<long?>("SELECT id FROM email_templates WHERE name = @DoubleOptInTemplate",
            new { DoubleOptInTemplate }, tx);
        var sendId = await QueueTransactionalAsync(c, tx, personId, templateId, now, "double opt-in request");
        if (sendId is { } id)
        {
            var url = services.GetRequiredService<EmailLinks>().ConfirmUrl(personId);
            await c.ExecuteAsync("UPDATE email_sends SET html_body = REPLACE(html_body, @ConfirmPlaceholder, @url), " +
                                 "text_body = REPLACE(text_body, @ConfirmPlaceholder, @url) WHERE id = @id", new { ConfirmPlaceholder, url, id }, tx);
        }
        return sendId;
    }

    /// <summary>Queues a transactional email (a form's confirmation or auto-reply) in the caller's transaction.</summary>
    public async Task<long?> QueueTransactionalAsync(DbConnection c, DbTransaction tx, long personId, long? templateId, long now, string what)
    {
        if (templateId is not { } id) { log.LogWarning("No template for the {What} of person {PersonId}", what, personId); return null; }
        // The queue belongs to the email module; a server without it cannot send, and says so rather than failing the form.
        if (services.GetService<IEmailQueue>() is not { } queue) { log.LogWarning("No email queue: the {What} of person {PersonId} is not sent", what, personId); return null; }
        var outcome = await queue.QueueAsync(c, tx, new EmailRequest(personId, id, EmailKind.Transactional), now);
        if (!outcome.Queued) log.LogWarning("The {What} of person {PersonId} is held: {Reason}", what, personId, outcome.Reason);
        return outcome.SendId;
    }
}

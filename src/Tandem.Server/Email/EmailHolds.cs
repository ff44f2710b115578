using System.Data.Common;
using Dapper;
using MimeKit;

namespace Tandem.Server.Email;

/// <summary>
/// Why an email may not go to a person now, checked in a fixed order so the reason given is the most lasting one:
/// no address, suppressed, no consent, the workspace not set up for it, the frequency cap.
/// </summary>
internal static class EmailHolds
{
    /// <summary>How long a "not configured" hold asks the caller to wait before trying again.</summary>
    public const long NotConfiguredRetryMs = 3_600_000;

    public static async Task<EmailQueueOutcome?> CheckAsync(DbConnection c, DbTransaction tx, long personId, EmailRecipient? person,
        EmailTemplateRow template, EmailKind kind, EmailSettings settings, long now)
    {
        if (person is null) return Held(EmailHold.NoAddress, $"No person has id {personId}.");
        if (person.Address is null) return Held(EmailHold.NoAddress, "The person has no email address.");
        if (!MailboxAddress.TryParse(person.Address, out var mailbox) || !mailbox.Address.Contains('@'))
            return Held(EmailHold.NoAddress, $"'{person.Address}' is not an address email can be sent to.");

        var reasons = await EmailSuppressions.ReasonsAsync(c, tx, person.Address);
        var marketing = kind == EmailKind.Marketing;
        var blocking = marketing ? reasons : reasons.Where(r => r is SuppressionReasons.HardBounce or SuppressionReasons.Complaint).ToList();
        if (blocking.Count > 0) return Held(EmailHold.Suppressed, $"{person.Address} is suppressed ({string.Join(", ", blocking)}).");
        if (marketing)
        {
            if (person.Unsubscribed) return Held(EmailHold.Suppressed, "The person has unsubscribed.");
            if (person.DoNotEmail) return Held(EmailHold.Suppressed, "The person is marked do not email.");
            if (template.Topic is { } topic && await c.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM email_topic_optouts WHERE person_id = @personId AND topic = @topic", new { personId, topic }, tx) > 0)
                return Held(EmailHold.Suppressed, $"The person opted out of the '{topic}' topic.");

            var consent = await c.QuerySingleOrDefaultAsync<string>("SELECT status FROM email_consents WHERE person_id = @personId", new { personId }, tx);
            if (consent == "opted_out") return Held(EmailHold.NoConsent, "The person opted out of marketing email.");
            if (settings.RequireOptIn && consent != "opted_in")
                return Held(EmailHold.NoConsent, consent == "pending"
                    ? "The workspace requires opt-in and the person has not confirmed theirs yet."
                    : "The workspace requires opt-in and the person has not opted in.");
        }

        if (settings.FromAddress is null)
            return Held(EmailHold.NotConfigured, "The workspace has no From address (email.from_address).", now + NotConfiguredRetryMs);
        if (marketing && settings.PhysicalAddress is null)
            return Held(EmailHold.NotConfigured, "Marketing email must show the sender's physical address; set email.physical_address first.",
                now + NotConfiguredRetryMs);

        if (marketing && settings.FrequencyCap is { } cap)
        {
            var recent = await c.QueryAsync<long>(
                "SELECT queued_at FROM email_sends WHERE person_id = @personId AND kind = 'marketing' AND status <> 'failed' AND queued_at > @since",
                new { personId, since = now - cap.WindowMs }, tx);
            var (allowed, retryAt) = cap.Decide(recent, now);
            if (!allowed)
                return Held(EmailHold.FrequencyCap, $"The person already had {cap.Max} marketing emails in {cap.Days} days (cap {cap}).", retryAt);
        }
        return null;
    }

    private static EmailQueueOutcome Held(EmailHold hold, string reason, long? retryAt = null) => new(null, hold, reason, retryAt);
}

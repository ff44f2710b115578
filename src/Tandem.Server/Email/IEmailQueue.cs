using System.Data.Common;

namespace Tandem.Server.Email;

/// <summary>
/// Marketing email needs consent, honours every suppression and counts against the frequency cap; transactional email
/// (a form's instant confirmation, a double opt-in request) answers something the person just did and says so.
/// </summary>
internal enum EmailKind { Marketing, Transactional }

/// <summary>One email to one person from a template; a program's send names its enrollment and step.</summary>
internal sealed record EmailRequest(long PersonId, long TemplateId, EmailKind Kind, long? ProgramId = null, long? EnrollmentId = null,
    string? StepKey = null);

/// <summary>Why an email was not queued.</summary>
internal enum EmailHold
{
    /// <summary>The person has no usable email address.</summary>
    NoAddress,

    /// <summary>Unsubscribed, hard-bounced or complained: never again, for any program.</summary>
    Suppressed,

    /// <summary>The workspace requires opt-in and the person has not confirmed it.</summary>
    NoConsent,

    /// <summary>The person had as many marketing emails as the cap allows; <see cref="EmailQueueOutcome.RetryAt"/> says when one more may go.</summary>
    FrequencyCap,

    /// <summary>
    /// The workspace cannot send this kind of email yet: no From address, or (marketing) no physical address for the footer
    /// the law requires. Nothing is wrong with the person; <see cref="EmailQueueOutcome.RetryAt"/> says when to try again.
    /// </summary>
    NotConfigured,
}

/// <summary>The send's id when the email was queued; otherwise why not, in words, and when it may be tried again (frequency cap and not configured: a hold with a RetryAt is temporary).</summary>
internal sealed record EmailQueueOutcome(long? SendId, EmailHold? Hold = null, string? Reason = null, long? RetryAt = null)
{
    public bool Queued => SendId is not null;
}

/// <summary>
/// Renders a template for a person and queues the send as an <c>email_sends</c> row inside the caller's transaction, so
/// the send exists exactly when the step that asked for it is recorded. Delivery happens later, claimed by a sender.
/// At most one send per (enrollment, step): asking twice returns the first send.
/// </summary>
internal interface IEmailQueue
{
    Task<EmailQueueOutcome> QueueAsync(DbConnection c, DbTransaction tx, EmailRequest request, long now);
}

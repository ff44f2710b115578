using System.Data.Common;
using Dapper;

namespace Tandem.Server.Web.Nurture;

/// <summary>
/// What the person page shows of email: the programs they are or were in, every email sent to them with what became
/// of it, and the consent Tandem holds with its proof — so a rep can answer "why did they get this?" from one card.
/// </summary>
internal static class PersonEmail
{
    public sealed record Enrollment(long Id, long ProgramId, string ProgramName, long Version, string Status, string? CurrentStep, long? DueAt, long EnteredAt,
        string EnteredBy, long? ExitedAt, string? ExitReason);

    public sealed record Send(long Id, string Subject, string Kind, string Status, long QueuedAt, long? SentAt, long Opens, long Clicks, long? RepliedAt,
        long? BouncedAt, string? BounceKind, long? ComplainedAt, long? UnsubscribedAt, string? ProgramName, string? StepKey, string? LastError);

    public sealed record Consent(string Status, string Basis, string Source, string? Form, string? PageUrl, string? Ip, long? RequestedAt, long? ConfirmedAt,
        long UpdatedAt);

    public sealed record ConsentChange(string Action, string? Topic, string Source, string? Ip, string? Detail, long At);

    public sealed record Suppression(string Reason, string Source, long CreatedAt);

    public sealed record Card(IReadOnlyList<Enrollment> Enrollments, IReadOnlyList<Send> Sends, Consent? Consent, IReadOnlyList<string> TopicOptOuts,
        IReadOnlyList<Suppression> Suppressions, IReadOnlyList<ConsentChange> Log);

    public static async Task<Card> LoadAsync(DbConnection c, long personId, string? email)
    {
        var enrollments = (await c.QueryAsync<Enrollment>(
            "SELECT e.id, e.program_id AS ProgramId, p.name AS ProgramName, e.version, e.status, e.current_step AS CurrentStep, e.due_at AS DueAt, " +
            "e.entered_at AS EnteredAt, e.entered_by AS EnteredBy, e.exited_at AS ExitedAt, e.exit_reason AS ExitReason " +
            "FROM nurture_enrollments e JOIN nurture_programs p ON p.id = e.program_id WHERE e.person_id = @personId ORDER BY e.entered_at DESC, e.id DESC LIMIT 20",
            new { personId })).ToList();
        var sends = (await c.QueryAsync<Send>(
            "SELECT s.id, s.subject, s.kind, s.status, s.queued_at AS QueuedAt, s.sent_at AS SentAt, s.opens, s.clicks, s.replied_at AS RepliedAt, " +
            "s.bounced_at AS BouncedAt, s.bounce_kind AS BounceKind, s.complained_at AS ComplainedAt, s.unsubscribed_at AS UnsubscribedAt, " +
            "p.name AS ProgramName, s.step_key AS StepKey, s.last_error AS LastError " +
            "FROM email_sends s LEFT JOIN nurture_programs p ON p.id = s.program_id WHERE s.person_id = @personId ORDER BY s.queued_at DESC, s.id DESC LIMIT 50",
            new { personId })).ToList();
        var consent = await c.QuerySingleOrDefaultAsync<Consent>(
            "SELECT status, basis, source, form, page_url AS PageUrl, ip, requested_at AS RequestedAt, confirmed_at AS ConfirmedAt, updated_at AS UpdatedAt " +
            "FROM email_consents WHERE person_id = @personId", new { personId });
        var topics = (await c.QueryAsync<string>(
            "SELECT COALESCE(t.name, o.topic) FROM email_topic_optouts o LEFT JOIN email_topics t ON t.key = o.topic WHERE o.person_id = @personId ORDER BY o.topic",
            new { personId })).ToList();
        var suppressions = email is null ? [] : (await c.QueryAsync<Suppression>(
            "SELECT reason, source, created_at AS CreatedAt FROM email_suppressions WHERE address = @address AND lifted_at IS NULL ORDER BY id",
            new { address = Email.EmailSuppressions.Normalize(email) })).ToList();
        var log = (await c.QueryAsync<ConsentChange>(
            "SELECT action, topic, source, ip, detail, at FROM email_consent_log WHERE person_id = @personId ORDER BY at DESC, id DESC LIMIT 10",
            new { personId })).ToList();
        return new Card(enrollments, sends, consent, topics, suppressions, log);
    }
}

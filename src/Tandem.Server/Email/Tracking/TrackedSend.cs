using System.Data.Common;
using Dapper;

namespace Tandem.Server.Email.Tracking;

/// <summary>What a public link needs to know of the send it came from.</summary>
internal sealed class TrackedSend
{
    public long Id { get; set; }
    public long PersonId { get; set; }
    public long? TemplateId { get; set; }
    public string Kind { get; set; } = "";
    public long? ProgramId { get; set; }
    public long? EnrollmentId { get; set; }
    public string? StepKey { get; set; }
    public string ToAddress { get; set; } = "";
    public long QueuedAt { get; set; }
    public long? SentAt { get; set; }

    public static Task<TrackedSend?> FindAsync(DbConnection c, DbTransaction? tx, long sendId) =>
        c.QuerySingleOrDefaultAsync<TrackedSend>(
            "SELECT id, person_id, template_id, kind, program_id, enrollment_id, step_key, to_address, queued_at, sent_at " +
            "FROM email_sends WHERE id = @sendId", new { sendId }, tx);

    /// <summary>The properties every email activity carries, so the timeline and programs can tell which email it was.</summary>
    public Dictionary<string, object?> ActivityProperties() => new()
    {
        ["sendId"] = Id, ["programId"] = ProgramId, ["enrollmentId"] = EnrollmentId, ["stepKey"] = StepKey, ["templateId"] = TemplateId,
    };
}

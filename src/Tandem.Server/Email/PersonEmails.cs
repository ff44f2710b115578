using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Email;

/// <summary>GET /api/v1/people/{id}/emails: every email sent (or being sent) to the person, newest first, with what became of it.</summary>
internal static class PersonEmails
{
    public sealed record Dto(long Id, string Kind, string? Topic, long? TemplateId, string? TemplateName, long? ProgramId, string? StepKey, string To,
        string Subject, string Status, DateTimeOffset QueuedAt, DateTimeOffset? SentAt, string? LastError, int Opens, DateTimeOffset? FirstOpenedAt,
        int Clicks, DateTimeOffset? FirstClickedAt, DateTimeOffset? RepliedAt, DateTimeOffset? BouncedAt, string? BounceKind,
        DateTimeOffset? ComplainedAt, DateTimeOffset? UnsubscribedAt);

    private sealed class Row
    {
        public long Id { get; set; }
        public string Kind { get; set; } = "";
        public string? Topic { get; set; }
        public long? TemplateId { get; set; }
        public string? TemplateName { get; set; }
        public long? ProgramId { get; set; }
        public string? StepKey { get; set; }
        public string ToAddress { get; set; } = "";
        public string Subject { get; set; } = "";
        public string Status { get; set; } = "";
        public long QueuedAt { get; set; }
        public long? SentAt { get; set; }
        public string? LastError { get; set; }
        public int Opens { get; set; }
        public long? FirstOpenedAt { get; set; }
        public int Clicks { get; set; }
        public long? FirstClickedAt { get; set; }
        public long? RepliedAt { get; set; }
        public long? BouncedAt { get; set; }
        public string? BounceKind { get; set; }
        public long? ComplainedAt { get; set; }
        public long? UnsubscribedAt { get; set; }
    }

    public static async Task<Results<Ok<IReadOnlyList<Dto>>, ProblemHttpResult>> Handle(long id, Database db, CancellationToken ct)
    {
        var (found, rows) = await db.ReadAsync(async c =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM people WHERE id = @id", new { id }) == 0) return (false, new List<Row>());
            var list = (await c.QueryAsync<Row>(
                "SELECT s.id, s.kind, s.topic, s.template_id, t.name AS template_name, s.program_id, s.step_key, s.to_address, s.subject, s.status, " +
                "s.queued_at, s.sent_at, s.last_error, s.opens, s.first_opened_at, s.clicks, s.first_clicked_at, s.replied_at, s.bounced_at, " +
                "s.bounce_kind, s.complained_at, s.unsubscribed_at FROM email_sends s LEFT JOIN email_templates t ON t.id = s.template_id " +
                "WHERE s.person_id = @id ORDER BY s.queued_at DESC, s.id DESC LIMIT 500", new { id })).ToList();
            return (true, list);
        }, ct);
        if (!found) return Problems.NotFound("Person", id);
        static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
        return TypedResults.Ok<IReadOnlyList<Dto>>(rows.Select(r => new Dto(r.Id, r.Kind, r.Topic, r.TemplateId, r.TemplateName, r.ProgramId, r.StepKey,
            r.ToAddress, r.Subject, r.Status, DateTimeOffset.FromUnixTimeMilliseconds(r.QueuedAt), At(r.SentAt), r.LastError, r.Opens,
            At(r.FirstOpenedAt), r.Clicks, At(r.FirstClickedAt), At(r.RepliedAt), At(r.BouncedAt), r.BounceKind, At(r.ComplainedAt),
            At(r.UnsubscribedAt))).ToList());
    }
}

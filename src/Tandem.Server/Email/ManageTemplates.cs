using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Email;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Email;

/// <summary>/api/v1/email/templates: list, create, read, replace and delete templates; merge fields are checked on save.</summary>
internal static class ManageTemplates
{
    public sealed record Request(string? Name, string? Kind, string? Topic, string? Subject, string? Preheader, string? BodyMarkdown);

    public sealed record Dto(long Id, string Name, string Kind, string? Topic, string Subject, string? Preheader, string BodyMarkdown,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    public static Dto ToDto(EmailTemplateRow r) => new(r.Id, r.Name, r.Kind, r.Topic, r.Subject, r.Preheader, r.BodyMarkdown,
        DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt));

    public static async Task<Ok<IReadOnlyList<Dto>>> List(Database db, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<Dto>>((await db.ReadAsync(EmailTemplateStore.ListAsync, ct)).Select(ToDto).ToList());

    public static async Task<Results<Ok<Dto>, ProblemHttpResult>> Get(long id, Database db, CancellationToken ct) =>
        await db.ReadAsync(c => EmailTemplateStore.GetAsync(c, null, id), ct) is { } row ? TypedResults.Ok(ToDto(row)) : Problems.NotFound("Template", id);

    public static async Task<Results<Created<Dto>, ValidationProblem, ProblemHttpResult>> Create(Request request, Database db, TimeProvider clock,
        CancellationToken ct)
    {
        var v = await ValidateAsync(request, db, ct);
        if (!v.IsValid) return v.ToProblem();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var id = await db.WriteAsync(async (c, tx) =>
        {
            if (await NameTakenAsync(c, tx, request.Name!.Trim(), 0)) return (long?)null;
            return await c.QuerySingleAsync<long>(
                "INSERT INTO email_templates (name, kind, topic, subject, preheader, body_markdown, created_at, updated_at) " +
                "VALUES (@name, @kind, @topic, @subject, @preheader, @body, @now, @now) RETURNING id", Values(request, now), tx);
        }, ct);
        if (id is null) return NameConflict(request.Name!);
        var row = await db.ReadAsync(c => EmailTemplateStore.GetAsync(c, null, id.Value), ct);
        return TypedResults.Created($"/api/v1/email/templates/{id}", ToDto(row!));
    }

    public static async Task<Results<Ok<Dto>, ValidationProblem, ProblemHttpResult>> Replace(long id, Request request, Database db, TimeProvider clock,
        CancellationToken ct)
    {
        var v = await ValidateAsync(request, db, ct);
        if (!v.IsValid) return v.ToProblem();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var outcome = await db.WriteAsync(async (c, tx) =>
        {
            if (await EmailTemplateStore.GetAsync(c, tx, id) is null) return "missing";
            if (await NameTakenAsync(c, tx, request.Name!.Trim(), id)) return "taken";
            // Sends already queued keep the words they were rendered with; the new ones apply from now on.
            var values = new DynamicParameters(Values(request, now));
            values.Add("id", id);
            await c.ExecuteAsync("UPDATE email_templates SET name = @name, kind = @kind, topic = @topic, subject = @subject, preheader = @preheader, " +
                                 "body_markdown = @body, updated_at = @now WHERE id = @id", values, tx);
            return "ok";
        }, ct);
        if (outcome == "missing") return Problems.NotFound("Template", id);
        if (outcome == "taken") return NameConflict(request.Name!);
        return TypedResults.Ok(ToDto((await db.ReadAsync(c => EmailTemplateStore.GetAsync(c, null, id), ct))!));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, Database db, CancellationToken ct)
    {
        var outcome = await db.WriteAsync(async (c, tx) =>
        {
            if (await EmailTemplateStore.GetAsync(c, tx, id) is null) return (long?)null;
            var sends = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM email_sends WHERE template_id = @id", new { id }, tx);
            if (sends == 0) await c.ExecuteAsync("DELETE FROM email_templates WHERE id = @id", new { id }, tx);
            return sends;
        }, ct);
        if (outcome is null) return Problems.NotFound("Template", id);
        if (outcome > 0)
            return Problems.Conflict("The template has been sent.",
                $"{outcome} emails were sent from template {id}; it is kept so their history stays readable. Rename it or stop using it instead.",
                new Dictionary<string, object?> { ["sends"] = outcome });
        return TypedResults.NoContent();
    }

    private static object Values(Request r, long now) => new
    {
        name = r.Name!.Trim(), kind = (r.Kind ?? EmailKinds.Marketing).Trim().ToLowerInvariant(), topic = string.IsNullOrWhiteSpace(r.Topic) ? null : r.Topic.Trim(),
        subject = r.Subject!.Trim(), preheader = string.IsNullOrWhiteSpace(r.Preheader) ? null : r.Preheader.Trim(), body = r.BodyMarkdown!, now,
    };

    private static async Task<Validation> ValidateAsync(Request r, Database db, CancellationToken ct)
    {
        var v = new Validation();
        if (string.IsNullOrWhiteSpace(r.Name)) v.Add("name", "A name is required.");
        else if (r.Name.Trim().Length > 200) v.Add("name", "Must be at most 200 characters.");
        var kind = (r.Kind ?? EmailKinds.Marketing).Trim().ToLowerInvariant();
        if (kind is not (EmailKinds.Marketing or EmailKinds.Transactional)) v.Add("kind", "Use marketing or transactional.");
        if (string.IsNullOrWhiteSpace(r.Subject)) v.Add("subject", "A subject is required.");
        else if (r.Subject.Length > 300) v.Add("subject", "Must be at most 300 characters.");
        if (r.Preheader is { Length: > 300 }) v.Add("preheader", "Must be at most 300 characters.");
        if (string.IsNullOrWhiteSpace(r.BodyMarkdown)) v.Add("bodyMarkdown", "A body (Markdown) is required.");
        else if (r.BodyMarkdown.Length > 100_000) v.Add("bodyMarkdown", "Must be at most 100,000 characters.");
        foreach (var (field, text) in new[] { ("subject", r.Subject), ("preheader", r.Preheader), ("bodyMarkdown", r.BodyMarkdown) })
            foreach (var error in MergeFields.Validate(text))
                v.Add(field, error.Reason);
        if (!string.IsNullOrWhiteSpace(r.Topic))
        {
            var topic = r.Topic.Trim();
            var topics = await db.ReadAsync(c => c.QueryAsync<string>("SELECT key FROM email_topics ORDER BY position, key"), ct);
            if (!topics.Contains(topic)) v.Add("topic", $"'{topic}' is not a topic; use one of: {string.Join(", ", topics)}.");
        }
        return v;
    }

    private static async Task<bool> NameTakenAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string name, long id) =>
        await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM email_templates WHERE name = @name AND id <> @id", new { name, id }, tx) > 0;

    private static ProblemHttpResult NameConflict(string name) =>
        Problems.Conflict("A template with that name exists.", $"Another template is already called '{name.Trim()}'.");
}

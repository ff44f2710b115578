using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Nurture;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Nurture;

/// <summary>/api/v1/nurture/programs: drafts, published versions, and the program's life (active, paused, archived).</summary>
internal static partial class ManagePrograms
{
    public sealed record Request(string? Name, string? Kind, JsonElement? Definition);

    public sealed record ProgramDto(long Id, string Name, string Kind, string Status, long? CurrentVersion, JsonElement Draft, DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt, ProgramFiguresDto Figures);

    public sealed record VersionDto(long Version, JsonElement Definition, DateTimeOffset PublishedAt, string PublishedBy);

    public static async Task<Ok<IReadOnlyList<ProgramDto>>> List(bool? includeArchived, Database db, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<ProgramDto>>(await db.ReadAsync(async c =>
        {
            var rows = await c.QueryAsync<ProgramRow>(
                "SELECT * FROM nurture_programs" + (includeArchived == true ? "" : " WHERE status <> 'archived'") + " ORDER BY name");
            var list = new List<ProgramDto>();
            foreach (var row in rows) list.Add(Dto(row, await ProgramFigures.OfAsync(c, row.Id)));
            return list;
        }, ct));

    public static async Task<Results<Ok<ProgramDto>, ProblemHttpResult>> Get(long id, Database db, CancellationToken ct) =>
        await db.ReadAsync(async c => await NurturePrograms.FindAsync(c, null, id) is { } row ? Dto(row, await ProgramFigures.OfAsync(c, id)) : null, ct) is { } dto
            ? TypedResults.Ok(dto)
            : Problems.NotFound("Program", id);

    public static async Task<Results<Created<ProgramDto>, ValidationProblem>> Create(Request request, Database db, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var (name, kind, draft) = Read(request, v, requireAll: true);
        if (!v.IsValid) return v.ToProblem();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var (row, problem) = await db.WriteAsync<(ProgramRow?, ValidationProblem?)>(async (c, tx) =>
        {
            if (await CheckAsync(c, tx, draft!, v) is null) return (null, v.ToProblem());
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM nurture_programs WHERE name = @name", new { name }, tx) > 0)
                return (null, Problems.Field("name", $"A program is already called '{name}'."));
            var id = await c.ExecuteScalarAsync<long>(
                "INSERT INTO nurture_programs (name, kind, status, draft, created_at, updated_at) VALUES (@name, @kind, 'draft', @draft, @now, @now) RETURNING id",
                new { name, kind, draft, now }, tx);
            return (await NurturePrograms.FindAsync(c, tx, id), null);
        }, ct);
        if (problem is not null) return problem;
        return TypedResults.Created($"/api/v1/nurture/programs/{row!.Id}", Dto(row, ProgramFiguresDto.Empty));
    }

    public static async Task<Results<Ok<ProgramDto>, ValidationProblem, ProblemHttpResult>> Update(long id, Request request, Database db, TimeProvider clock,
        CancellationToken ct)
    {
        var v = new Validation();
        var (name, kind, draft) = Read(request, v, requireAll: false);
        if (!v.IsValid) return v.ToProblem();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return await db.WriteAsync<Results<Ok<ProgramDto>, ValidationProblem, ProblemHttpResult>>(async (c, tx) =>
        {
            if (await NurturePrograms.FindAsync(c, tx, id, forUpdate: true) is not { } row) return Problems.NotFound("Program", id);
            if (row.Status == ProgramStatus.Archived) return Problems.Conflict("The program is archived.", "An archived program cannot be edited.");
            if (draft is not null && await CheckAsync(c, tx, draft, v) is null) return v.ToProblem();
            if (name is not null && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM nurture_programs WHERE name = @name AND id <> @id", new { name, id }, tx) > 0)
                return Problems.Field("name", $"A program is already called '{name}'.");
            if (kind is not null && kind != row.Kind && row.CurrentVersion is not null)
                return Problems.Field("kind", "The kind of a published program is fixed: people in it hold its place of that kind.");
            await c.ExecuteAsync(
                "UPDATE nurture_programs SET name = COALESCE(@name, name), kind = COALESCE(@kind, kind), draft = COALESCE(@draft, draft), updated_at = @now WHERE id = @id",
                new { name, kind, draft, now, id }, tx);
            return TypedResults.Ok(Dto((await NurturePrograms.FindAsync(c, tx, id))!, await ProgramFigures.OfAsync(c, id, tx)));
        }, ct);
    }

    /// <summary>The draft becomes the next version; a draft program becomes active. People already in keep the version they entered.</summary>
    public static async Task<Results<Ok<ProgramDto>, ValidationProblem, ProblemHttpResult>> Publish(long id, HttpContext http, Database db, TimeProvider clock,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var by = Actors.Of(http.User).Name;
        return await db.WriteAsync<Results<Ok<ProgramDto>, ValidationProblem, ProblemHttpResult>>(async (c, tx) =>
        {
            if (await NurturePrograms.FindAsync(c, tx, id, forUpdate: true) is not { } row) return Problems.NotFound("Program", id);
            if (row.Status == ProgramStatus.Archived) return Problems.Conflict("The program is archived.", "An archived program cannot be published.");
            var v = new Validation();
            var definition = await CheckAsync(c, tx, row.Draft, v);
            if (definition is not { } parsed) return v.ToProblem();
            var version = (row.CurrentVersion ?? 0) + 1;
            await c.ExecuteAsync(
                "INSERT INTO nurture_program_versions (program_id, version, definition, published_at, published_by) VALUES (@id, @version, @Draft, @now, @by)",
                new { id, version, row.Draft, now, by }, tx);
            var events = Json.Write(parsed.Entry.Events.Select(e => e.Type.ToString()).Distinct().Order().ToList());
            await c.ExecuteAsync(
                "UPDATE nurture_programs SET current_version = @version, entry_events = @events, has_filter = @hasFilter, swept_at = NULL, updated_at = @now, " +
                "status = CASE WHEN status = 'draft' THEN 'active' ELSE status END WHERE id = @id",
                new { version, events, hasFilter = parsed.Entry.HasFilter ? 1L : 0L, now, id }, tx);
            return TypedResults.Ok(Dto((await NurturePrograms.FindAsync(c, tx, id))!, await ProgramFigures.OfAsync(c, id, tx)));
        }, ct);
    }

    public static async Task<Results<Ok<IReadOnlyList<VersionDto>>, ProblemHttpResult>> Versions(long id, Database db, CancellationToken ct) =>
        await db.ReadAsync(async c => await NurturePrograms.FindAsync(c, null, id) is null ? null
            : (await c.QueryAsync<(long Version, string Definition, long PublishedAt, string PublishedBy)>(
                "SELECT version, definition, published_at, published_by FROM nurture_program_versions WHERE program_id = @id ORDER BY version DESC", new { id }))
            .Select(r => new VersionDto(r.Version, JsonDocument.Parse(r.Definition).RootElement.Clone(), DateTimeOffset.FromUnixTimeMilliseconds(r.PublishedAt),
                r.PublishedBy)).ToList(), ct) is { } list
            ? TypedResults.Ok<IReadOnlyList<VersionDto>>(list)
            : Problems.NotFound("Program", id);

    /// <summary>Nothing is due while paused: each due time is set aside and given back on resume.</summary>
    public static Task<Results<Ok<ProgramDto>, ProblemHttpResult>> Pause(long id, Database db, TimeProvider clock, CancellationToken ct) =>
        ChangeStatusAsync(id, db, clock, ct, [ProgramStatus.Active], ProgramStatus.Paused,
            "UPDATE nurture_enrollments SET paused_due_at = due_at, due_at = NULL WHERE program_id = @id AND status = 'active' AND due_at IS NOT NULL");

    public static Task<Results<Ok<ProgramDto>, ProblemHttpResult>> Resume(long id, Database db, TimeProvider clock, CancellationToken ct) =>
        ChangeStatusAsync(id, db, clock, ct, [ProgramStatus.Paused], ProgramStatus.Active,
            "UPDATE nurture_enrollments SET due_at = paused_due_at, paused_due_at = NULL WHERE program_id = @id AND status = 'active' AND paused_due_at IS NOT NULL");

    public static Task<Results<Ok<ProgramDto>, ProblemHttpResult>> Archive(long id, Database db, TimeProvider clock, CancellationToken ct) =>
        ChangeStatusAsync(id, db, clock, ct, [ProgramStatus.Draft, ProgramStatus.Active, ProgramStatus.Paused], ProgramStatus.Archived,
            "UPDATE nurture_enrollments SET status = 'exited', exit_reason = 'program_archived', exited_at = @now, due_at = NULL, paused_due_at = NULL, " +
            "current_step = NULL, claimed_by = NULL, claimed_until = NULL WHERE program_id = @id AND status = 'active'");

    private static async Task<Results<Ok<ProgramDto>, ProblemHttpResult>> ChangeStatusAsync(long id, Database db, TimeProvider clock, CancellationToken ct,
        string[] from, string to, string enrollments)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return await db.WriteAsync<Results<Ok<ProgramDto>, ProblemHttpResult>>(async (c, tx) =>
        {
            if (await NurturePrograms.FindAsync(c, tx, id, forUpdate: true) is not { } row) return Problems.NotFound("Program", id);
            if (!from.Contains(row.Status))
                return Problems.Conflict($"The program is {row.Status}.", $"Only a program that is {string.Join(" or ", from)} can become {to}.");
            await c.ExecuteAsync("UPDATE nurture_programs SET status = @to, updated_at = @now WHERE id = @id", new { to, now, id }, tx);
            await c.ExecuteAsync(enrollments, new { id, now }, tx);
            return TypedResults.Ok(Dto((await NurturePrograms.FindAsync(c, tx, id))!, await ProgramFigures.OfAsync(c, id, tx)));
        }, ct);
    }

    private static (string? Name, string? Kind, string? Draft) Read(Request request, Validation v, bool requireAll)
    {
        var name = request.Name?.Trim();
        var kind = request.Kind?.Trim().ToLowerInvariant();
        if (requireAll || name is not null)
            if (string.IsNullOrEmpty(name) || name.Length > 200) v.Add("name", "A name of 1 to 200 characters.");
        if (requireAll || kind is not null)
            if (kind is null || !KindPattern().IsMatch(kind))
                v.Add("kind", "A kind of 1 to 40 letters, digits, '-' or '_' (welcome, re-engagement…): a person is in one active program of a kind at a time.");
        string? draft = null;
        if (request.Definition is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } d)
        {
            draft = d.GetRawText();
            // The definition's own problems are reported with the name's and kind's; the workspace checks follow once all are well-formed.
            foreach (var p in ProgramParser.Parse(draft).Problems) v.Add(p.Path.Length == 0 ? "definition" : "definition." + p.Path, p.Message);
        }
        else if (requireAll) v.Add("definition", "The program's definition: entry, steps, exits (see docs/nurture.md).");
        return (name, kind, draft);
    }

    /// <summary>Parses and checks a definition against the workspace (filter values, templates); problems go under "definition.".</summary>
    public static async Task<ProgramDefinition?> CheckAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? tx, string json, Validation v)
    {
        var (definition, problems) = ProgramParser.Parse(json);
        foreach (var p in problems) v.Add(p.Path.Length == 0 ? "definition" : "definition." + p.Path, p.Message);
        if (definition is null) return null;
        EntryFilter.Validate(definition.Entry.Filter, v, "definition.entry.filter");
        for (var i = 0; i < definition.Steps.Count; i++)
            if (definition.Steps[i] is EmailStep email &&
                await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM email_templates WHERE id = @TemplateId", email, tx) == 0)
                v.Add($"definition.steps[{i}].templateId", $"No email template has id {email.TemplateId}.");
        return v.IsValid ? definition : null;
    }

    private static ProgramDto Dto(ProgramRow r, ProgramFiguresDto figures) => new(r.Id, r.Name, r.Kind, r.Status, r.CurrentVersion,
        JsonDocument.Parse(r.Draft).RootElement.Clone(), DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt),
        figures);

    [GeneratedRegex("^[a-z0-9_-]{1,40}$")]
    private static partial Regex KindPattern();
}

using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Nurture;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Nurture;

/// <summary>Who is in a program, who would enter it, and putting people in and taking them out by hand.</summary>
internal static class ProgramEntry
{
    public sealed record PreviewRequest(JsonElement? Definition);

    public sealed record PersonBrief(long Id, string? Email, string? FirstName, string? LastName, string? Company, string Stage);

    public sealed record PreviewDto(long Count, IReadOnlyList<PersonBrief> First, string? Note);

    public sealed record EnrollRequest(long? PersonId);

    public sealed record EnrollResultDto(long Entered, long HeldOut);

    public sealed record StepRunDto(string StepKey, string Outcome, string? Detail, long? SendId, DateTimeOffset At);

    public sealed record EnrollmentDto(long Id, long PersonId, long ProgramId, string ProgramName, long Version, string Status, string? CurrentStep,
        DateTimeOffset? DueAt, DateTimeOffset EnteredAt, string EnteredBy, DateTimeOffset? ExitedAt, string? ExitReason, IReadOnlyList<StepRunDto> Steps);

    /// <summary>The people the entry filter finds now who could enter: not in the program yet, not in another active program of its kind.</summary>
    public static async Task<Results<Ok<PreviewDto>, ValidationProblem, ProblemHttpResult>> Preview(long id, PreviewRequest? request, Database db, CancellationToken ct) =>
        await db.ReadAsync<Results<Ok<PreviewDto>, ValidationProblem, ProblemHttpResult>>(async c =>
        {
            if (await NurturePrograms.FindAsync(c, null, id) is not { } program) return Problems.NotFound("Program", id);
            var v = new Validation();
            var json = request?.Definition is { ValueKind: JsonValueKind.Object } d ? d.GetRawText() : program.Draft;
            if (await ManagePrograms.CheckAsync(c, null, json, v) is not { } definition) return v.ToProblem();
            if (!definition.Entry.HasFilter)
                return TypedResults.Ok(new PreviewDto(0, [], "The program has no entry filter: people enter on events or by hand."));
            var (where, args) = EntryFilter.ToSql(definition.Entry.Filter, SqlDialect.Of(c));
            args.Add("nurtureProgram", id);
            args.Add("nurtureKind", program.Kind);
            var from = $"FROM people p WHERE {where} " +
                "AND NOT EXISTS (SELECT 1 FROM nurture_enrollments e WHERE e.program_id = @nurtureProgram AND e.person_id = p.id) " +
                "AND NOT EXISTS (SELECT 1 FROM nurture_enrollments e WHERE e.person_id = p.id AND e.kind = @nurtureKind AND e.status = 'active')";
            var count = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) " + from, args);
            var first = (await c.QueryAsync<PersonBrief>(
                "SELECT p.id, p.email, p.first_name, p.last_name, p.company, p.stage " + from + " ORDER BY p.id LIMIT 20", args)).ToList();
            return TypedResults.Ok(new PreviewDto(count, first, null));
        }, ct);

    public static async Task<Results<Ok<EnrollResultDto>, ProblemHttpResult>> EnrollMatching(long id, Database db, NurturePrograms programs, TimeProvider clock,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return await db.WriteAsync<Results<Ok<EnrollResultDto>, ProblemHttpResult>>(async (c, tx) =>
        {
            if (await NurturePrograms.FindAsync(c, tx, id, forUpdate: true) is not { } program) return Problems.NotFound("Program", id);
            if (program is not { Status: ProgramStatus.Active, CurrentVersion: { } version })
                return Problems.Conflict($"The program is {program.Status}.", "Only an active (published, not paused) program enrolls people.");
            var definition = await programs.DefinitionAsync(c, tx, id, version);
            if (!definition.Entry.HasFilter) return Problems.Conflict("No entry filter.", "The current version has no entry filter to match people with.");
            var result = await Enrollments.EnrollMatchingAsync(c, tx, program, definition, "enroll-matching", now);
            return TypedResults.Ok(new EnrollResultDto(result.Entered, result.HeldOut));
        }, ct);
    }

    public static async Task<Results<Ok<EnrollmentDto>, ValidationProblem, ProblemHttpResult>> EnrollPerson(long id, EnrollRequest request, HttpContext http,
        Database db, NurturePrograms programs, TimeProvider clock, CancellationToken ct)
    {
        if (request.PersonId is not { } personId) return Problems.Field("personId", "The id of the person to enroll.");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var by = "hand:" + Actors.Of(http.User).Name;
        return await db.WriteAsync<Results<Ok<EnrollmentDto>, ValidationProblem, ProblemHttpResult>>(async (c, tx) =>
        {
            if (await NurturePrograms.FindAsync(c, tx, id) is not { } program) return Problems.NotFound("Program", id);
            if (program is not { Status: ProgramStatus.Active, CurrentVersion: { } version })
                return Problems.Conflict($"The program is {program.Status}.", "Only an active (published, not paused) program enrolls people.");
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM people WHERE id = @personId AND merged_into_id IS NULL AND erased_at IS NULL", new { personId }, tx) == 0)
                return Problems.Field("personId", $"No person has id {personId}.");
            var definition = await programs.DefinitionAsync(c, tx, id, version);
            var result = await Enrollments.EnrollPersonAsync(c, tx, program, definition, personId, by, now);
            if (result.Entered + result.HeldOut == 0)
            {
                if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM nurture_enrollments WHERE program_id = @id AND person_id = @personId",
                        new { id, personId }, tx) > 0)
                    return Problems.Conflict("Not enrolled.", "The person has already been through this program; a person goes through a program once.");
                var other = await c.QueryFirstOrDefaultAsync<string>(
                    "SELECT p.name FROM nurture_enrollments e JOIN nurture_programs p ON p.id = e.program_id " +
                    "WHERE e.person_id = @personId AND e.kind = @Kind AND e.status = 'active'", new { personId, program.Kind }, tx);
                return Problems.Conflict("Not enrolled.", $"The person is already in '{other}', a program of the same kind ({program.Kind}).");
            }
            var enrollment = (await ListAsync(c, tx, "e.program_id = @id AND e.person_id = @personId", new { id, personId })).Single();
            return TypedResults.Ok(enrollment);
        }, ct);
    }

    public static async Task<Results<Ok<EnrollmentDto>, ProblemHttpResult>> Remove(long id, Database db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return await db.WriteAsync<Results<Ok<EnrollmentDto>, ProblemHttpResult>>(async (c, tx) =>
        {
            var status = await c.QuerySingleOrDefaultAsync<string>("SELECT status FROM nurture_enrollments WHERE id = @id" + SqlDialect.Of(c).ForUpdate, new { id }, tx);
            if (status is null) return Problems.NotFound("Enrollment", id);
            if (!await Enrollments.ExitAsync(c, tx, id, EnrollmentStatus.Exited, ExitReasons.RemovedByHand, now))
                return Problems.Conflict($"The enrollment is {status}.", "Only an active enrollment can be removed.");
            return TypedResults.Ok((await ListAsync(c, tx, "e.id = @id", new { id })).Single());
        }, ct);
    }

    public static async Task<Results<Ok<IReadOnlyList<EnrollmentDto>>, ValidationProblem, ProblemHttpResult>> ListEnrollments(long id, string? status, int? limit,
        Database db, CancellationToken ct)
    {
        string[] statuses = [EnrollmentStatus.Active, EnrollmentStatus.Completed, EnrollmentStatus.Exited, EnrollmentStatus.HeldOut];
        if (status is not null && !statuses.Contains(status)) return Problems.Field("status", $"One of: {string.Join(", ", statuses)}.");
        if (limit is < 1 or > 1000) return Problems.Field("limit", "From 1 to 1000.");
        return await db.ReadAsync<Results<Ok<IReadOnlyList<EnrollmentDto>>, ValidationProblem, ProblemHttpResult>>(async c =>
        {
            if (await NurturePrograms.FindAsync(c, null, id) is null) return Problems.NotFound("Program", id);
            return TypedResults.Ok(await ListAsync(c, null, "e.program_id = @id" + (status is null ? "" : " AND e.status = @status"),
                new { id, status }, limit ?? 100));
        }, ct);
    }

    public static async Task<Results<Ok<IReadOnlyList<EnrollmentDto>>, ProblemHttpResult>> OfPerson(long id, Database db, CancellationToken ct) =>
        await db.ReadAsync<Results<Ok<IReadOnlyList<EnrollmentDto>>, ProblemHttpResult>>(async c =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM people WHERE id = @id", new { id }) == 0) return Problems.NotFound("Person", id);
            return TypedResults.Ok(await ListAsync(c, null, "e.person_id = @id", new { id }));
        }, ct);

    private static async Task<IReadOnlyList<EnrollmentDto>> ListAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? tx, string where,
        object args, int limit = 100)
    {
        var rows = (await c.QueryAsync<(EnrollmentRow Row, string Name)>(
            $"SELECT e.*, p.name FROM nurture_enrollments e JOIN nurture_programs p ON p.id = e.program_id WHERE {where} ORDER BY e.id DESC LIMIT {limit}",
            new[] { typeof(EnrollmentRow), typeof(string) }, o => ((EnrollmentRow)o[0], (string)o[1]), args, tx, splitOn: "name")).ToList();
        if (rows.Count == 0) return [];
        var (idsIn, ids) = SqlDialect.Of(c).InIdList("enrollment_id", "@ids", rows.Select(r => r.Row.Id).ToArray());
        var runs = (await c.QueryAsync<(long EnrollmentId, string StepKey, string Outcome, string? Detail, long? SendId, long At)>(
            $"SELECT enrollment_id, step_key, outcome, detail, send_id, at FROM nurture_step_runs WHERE {idsIn} ORDER BY at, id", new { ids }, tx))
            .ToLookup(r => r.EnrollmentId);
        static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return rows.Select(r => new EnrollmentDto(r.Row.Id, r.Row.PersonId, r.Row.ProgramId, r.Name, r.Row.Version, r.Row.Status, r.Row.CurrentStep,
            r.Row.DueAt is { } due ? At(due) : null, At(r.Row.EnteredAt), r.Row.EnteredBy, r.Row.ExitedAt is { } x ? At(x) : null, r.Row.ExitReason,
            runs[r.Row.Id].Select(s => new StepRunDto(s.StepKey, s.Outcome, s.Detail, s.SendId, At(s.At))).ToList())).ToList();
    }
}

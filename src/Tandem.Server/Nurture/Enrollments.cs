using System.Data.Common;
using Dapper;
using Tandem.Domain.Nurture;
using Tandem.Server.Storage;

namespace Tandem.Server.Nurture;

internal sealed record EnrollResult(int Entered, int HeldOut);

/// <summary>An enrollment row as stored.</summary>
internal sealed class EnrollmentRow
{
    public long Id { get; set; }
    public long PersonId { get; set; }
    public long ProgramId { get; set; }
    public long Version { get; set; }
    public string Kind { get; set; } = "";
    public string Status { get; set; } = "";
    public string? CurrentStep { get; set; }
    public long? DueAt { get; set; }
    public string? ClaimedBy { get; set; }
    public long? ClaimedUntil { get; set; }
    public long EnteredAt { get; set; }
    public string EnteredBy { get; set; } = "";
    public long? ExitedAt { get; set; }
    public string? ExitReason { get; set; }
}

/// <summary>
/// Puts people into programs and takes them out. Entering is one set-based INSERT … SELECT whoever asks — a filter
/// over everyone, one person an event happened to, one person by hand — so the same rules hold on every path: a
/// person goes through a program once, is in at most one active program of a kind (a unique index, so racing
/// servers cannot both enroll), and falls in the program's holdout by a draw fixed per person and program.
/// </summary>
internal sealed class Enrollments(NurturePrograms programs)
{
    /// <summary>Enrolls the live people matching <paramref name="where"/> (over people aliased "p") into the program's current version.</summary>
    public static async Task<EnrollResult> EnrollWhereAsync(DbConnection c, DbTransaction tx, ProgramRow program, ProgramDefinition definition,
        string where, DynamicParameters args, string by, long now)
    {
        args.Add("nurtureProgram", program.Id);
        args.Add("nurtureVersion", program.CurrentVersion!.Value);
        args.Add("nurtureKind", program.Kind);
        args.Add("nurtureFirst", definition.FirstStep);
        args.Add("nurtureNow", now);
        args.Add("nurtureBy", by);
        var entered = (await c.QueryAsync<(long Id, long PersonId)>(
            "INSERT INTO nurture_enrollments (person_id, program_id, version, kind, status, current_step, due_at, entered_at, entered_by) " +
            "SELECT p.id, @nurtureProgram, @nurtureVersion, @nurtureKind, 'active', @nurtureFirst, @nurtureNow, @nurtureNow, @nurtureBy FROM people p " +
            $"WHERE {where} " +
            "AND NOT EXISTS (SELECT 1 FROM nurture_enrollments e WHERE e.program_id = @nurtureProgram AND e.person_id = p.id) " +
            "AND NOT EXISTS (SELECT 1 FROM nurture_enrollments e WHERE e.person_id = p.id AND e.kind = @nurtureKind AND e.status = 'active') " +
            "ON CONFLICT DO NOTHING RETURNING id, person_id", args, tx)).ToList();
        var held = entered.Where(e => Holdout.IsHeldOut(e.PersonId, program.Id, definition.HoldoutPercent)).Select(e => e.Id).ToArray();
        if (held.Length > 0)
        {
            // The control group is enrolled (so it is counted and compared) but nothing is ever due for it.
            var (idsIn, ids) = SqlDialect.Of(c).InIdList("id", "@ids", held);
            await c.ExecuteAsync($"UPDATE nurture_enrollments SET status = 'held_out', current_step = NULL, due_at = NULL WHERE {idsIn}", new { ids }, tx);
        }
        return new EnrollResult(entered.Count - held.Length, held.Length);
    }

    public static Task<EnrollResult> EnrollPersonAsync(DbConnection c, DbTransaction tx, ProgramRow program, ProgramDefinition definition, long personId,
        string by, long now)
    {
        var args = new DynamicParameters();
        args.Add("nurturePerson", personId);
        return EnrollWhereAsync(c, tx, program, definition, "p.merged_into_id IS NULL AND p.erased_at IS NULL AND p.id = @nurturePerson", args, by, now);
    }

    /// <summary>Enrolls whoever matches the program's entry filter now; with <paramref name="personId"/>, only that person if they match.</summary>
    public static Task<EnrollResult> EnrollMatchingAsync(DbConnection c, DbTransaction tx, ProgramRow program, ProgramDefinition definition, string by, long now,
        long? personId = null)
    {
        var (where, args) = EntryFilter.ToSql(definition.Entry.Filter, SqlDialect.Of(c));
        if (personId is { } id)
        {
            where += " AND p.id = @nurturePerson";
            args.Add("nurturePerson", id);
        }
        return EnrollWhereAsync(c, tx, program, definition, where, args, by, now);
    }

    /// <summary>Ends one active enrollment; false when it was no longer active.</summary>
    public static async Task<bool> ExitAsync(DbConnection c, DbTransaction tx, long enrollmentId, string status, string reason, long now) =>
        await c.ExecuteAsync(
            "UPDATE nurture_enrollments SET status = @status, exit_reason = @reason, exited_at = @now, due_at = NULL, current_step = NULL, " +
            "claimed_by = NULL, claimed_until = NULL WHERE id = @enrollmentId AND status = 'active'", new { enrollmentId, status, reason, now }, tx) > 0;

    public static async Task<List<EnrollmentRow>> ActiveOfAsync(DbConnection c, DbTransaction tx, long personId) =>
        (await c.QueryAsync<EnrollmentRow>("SELECT * FROM nurture_enrollments WHERE person_id = @personId AND status = 'active'", new { personId }, tx)).ToList();

    /// <summary>Takes the person out of every active program whose definition exits on <paramref name="criterion"/>.</summary>
    public async Task<int> ExitPersonAsync(DbConnection c, DbTransaction tx, long personId, ExitCriterion criterion, string reason, long now,
        Func<EnrollmentRow, Task<bool>>? when = null)
    {
        var exited = 0;
        foreach (var e in await ActiveOfAsync(c, tx, personId))
        {
            var definition = await programs.DefinitionAsync(c, tx, e.ProgramId, e.Version);
            if (!definition.ExitsOn(criterion)) continue;
            if (when is not null && !await when(e)) continue;
            if (await ExitAsync(c, tx, e.Id, EnrollmentStatus.Exited, reason, now)) exited++;
        }
        return exited;
    }
}

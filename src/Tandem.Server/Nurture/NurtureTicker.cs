using System.Data.Common;
using Dapper;
using Tandem.Domain.Identity;
using Tandem.Domain.Nurture;
using Tandem.Server.Email;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Nurture;

internal sealed record NurtureTickResult(int Claimed, int StepsRun, int EmailsQueued);

/// <summary>
/// Runs the steps of enrollments that have come due. A tick claims a batch — an UPDATE of rows whose due time has
/// passed and whom nobody holds (PostgreSQL: FOR UPDATE SKIP LOCKED), read through the due index, so waiting
/// enrollments cost nothing however many there are — then runs each claimed enrollment in its own Consequences
/// transaction: the step's effect (the queued email, the task, the stage move), its step-run row (unique per
/// enrollment and step) and the next due time commit together or not at all. A claim lapses after the lease, so an
/// enrollment a dead server held is taken up again; the step-run row and the sends' unique (enrollment, step) keep a
/// step from happening twice even then.
/// </summary>
internal sealed class NurtureTicker(Database db, Consequences consequences, NurturePrograms programs, NurtureSteps steps, NurtureOptions options,
    TimeProvider clock, ILogger<NurtureTicker> log)
{
    /// <summary>Which server holds a claim, so a claim is only ever acted on by the one that made it.</summary>
    private readonly string me = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Steps one enrollment may run in one go (the definition cannot circle, so this only bounds a long chain).</summary>
    private const int MaxStepsAtOnce = 50;

    /// <summary>The claim. Its inner SELECT reads the partial due index (status active, due_at set) in due order.</summary>
    public static string ClaimSql(SqlDialect dialect) =>
        "UPDATE nurture_enrollments SET claimed_by = @me, claimed_until = @until " +
        "WHERE status = 'active' AND (claimed_until IS NULL OR claimed_until <= @now) AND id IN (" +
        "SELECT id FROM nurture_enrollments WHERE status = 'active' AND due_at IS NOT NULL AND due_at <= @now " +
        $"AND (claimed_until IS NULL OR claimed_until <= @now) ORDER BY due_at LIMIT @batch{dialect.ForUpdateSkipLocked()}) RETURNING id";

    public async Task<NurtureTickResult> TickAsync(CancellationToken ct = default)
    {
        int claimedTotal = 0, run = 0, emails = 0;
        var batch = Math.Max(1, options.Batch);
        while (true)
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var claimed = await db.WriteAsync(async (c, tx) => (await c.QueryAsync<long>(ClaimSql(SqlDialect.Of(c)),
                new { me, now, until = now + (long)(options.LeaseSeconds * 1000), batch }, tx)).ToList(), ct);
            claimedTotal += claimed.Count;
            foreach (var id in claimed.Order())
            {
                try
                {
                    var (r, m) = await consequences.WriteAsync((c, tx) => RunAsync(c, tx, id), ct);
                    run += r;
                    emails += m;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The enrollment's work rolled back; its claim lapses after the lease and the step is tried again.
                    log.LogError(e, "Nurture enrollment {Enrollment} failed its step; it is tried again after the lease", id);
                }
            }
            if (claimed.Count < batch) return new NurtureTickResult(claimedTotal, run, emails);
        }
    }

    private async Task<(int Steps, int Emails)> RunAsync(DbConnection c, DbTransaction tx, long id)
    {
        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var e = await c.QuerySingleOrDefaultAsync<EnrollmentRow>(
            "SELECT * FROM nurture_enrollments WHERE id = @id" + SqlDialect.Of(c).ForUpdate, new { id }, tx);
        // Exited meanwhile, or taken over by another server after our lease ran out: not ours to run.
        if (e is null || e.Status != EnrollmentStatus.Active || e.ClaimedBy != me) return (0, 0);
        if (e.DueAt is not { } due || due > nowMs) return await ReleaseAsync(c, tx, e, e.CurrentStep, e.DueAt);

        var program = (await NurturePrograms.FindAsync(c, tx, e.ProgramId))!;
        if (program.Status == ProgramStatus.Paused)
        {
            await c.ExecuteAsync("UPDATE nurture_enrollments SET paused_due_at = due_at, due_at = NULL, claimed_by = NULL, claimed_until = NULL WHERE id = @id",
                new { id }, tx);
            return (0, 0);
        }
        var person = await PersonStore.FindAsync(c, tx, e.PersonId);
        if (person is null || person.MergedIntoId is not null)
        {
            await Enrollments.ExitAsync(c, tx, id, EnrollmentStatus.Exited, ExitReasons.Merged, nowMs);
            return (0, 0);
        }
        var definition = await programs.DefinitionAsync(c, tx, e.ProgramId, e.Version);
        var facts = await FactsAsync(c, tx, person, id, now);
        var step = e.CurrentStep;
        int ran = 0, emails = 0;
        for (var i = 0; i < MaxStepsAtOnce; i++)
        {
            switch (NurturePlanner.Next(definition, step, facts))
            {
                case Defer d:
                    return await ReleaseAsync(c, tx, e, step, d.At.ToUnixTimeMilliseconds(), (ran, emails));
                case WaitThen w:
                    await NurtureSteps.RecordAsync(c, tx, e, step!, "waited", $"until {w.At:O}", null, nowMs);
                    ran++;
                    if (w.At > now) return await ReleaseAsync(c, tx, e, w.Next, w.At.ToUnixTimeMilliseconds(), (ran, emails));
                    step = w.Next;
                    break;
                case BranchTo b:
                    await NurtureSteps.RecordAsync(c, tx, e, step!, b.Matched ? "then" : "else", b.To is null ? "end" : $"to {b.To}", null, nowMs);
                    ran++;
                    step = b.To;
                    break;
                case ExitWith x:
                    if (step is not null) { await NurtureSteps.RecordAsync(c, tx, e, step, "done", x.Detail, null, nowMs); ran++; }
                    await Enrollments.ExitAsync(c, tx, id, EnrollmentStatus.Completed, x.Reason, nowMs);
                    return (ran, emails);
                case RunStep r:
                    var outcome = await steps.RunAsync(c, tx, e, program, person, r.Step, facts, now);
                    switch (outcome)
                    {
                        case StepOutcome.Retry retry:
                            return await ReleaseAsync(c, tx, e, step, retry.At.ToUnixTimeMilliseconds(), (ran, emails));
                        case StepOutcome.Exit exit:
                            await Enrollments.ExitAsync(c, tx, id, EnrollmentStatus.Exited, exit.Reason, nowMs);
                            return (ran + 1, emails);
                        case StepOutcome.Done done:
                            ran++;
                            if (done.SendId is not null)
                            {
                                emails++;
                                facts = facts with { Emails = [.. facts.Emails, new EmailFacts(r.Step.Key, now, false, false, false)] };
                            }
                            break;
                    }
                    step = r.Next;
                    if (r.Step is ChangeStageStep or HandToSalesStep)
                    {
                        // The move's consequences (routing, the exit on becoming an MQL) run now; a person they took out stops here.
                        await consequences.DispatchAsync(c, tx);
                        var status = await c.QuerySingleAsync<string>("SELECT status FROM nurture_enrollments WHERE id = @id", new { id }, tx);
                        if (status != EnrollmentStatus.Active) return (ran, emails);
                        person = (await PersonStore.FindAsync(c, tx, e.PersonId))!;
                        facts = await FactsAsync(c, tx, person, id, now);
                    }
                    break;
            }
        }
        return await ReleaseAsync(c, tx, e, step, nowMs, (ran, emails)); // a long chain goes on at the next tick
    }

    private static async Task<(int, int)> ReleaseAsync(DbConnection c, DbTransaction tx, EnrollmentRow e, string? step, long? dueAt, (int, int) result = default)
    {
        await c.ExecuteAsync(
            "UPDATE nurture_enrollments SET current_step = @step, due_at = @dueAt, claimed_by = NULL, claimed_until = NULL WHERE id = @Id AND status = 'active'",
            new { step, dueAt, e.Id }, tx);
        return result;
    }

    /// <summary>What a branch, a wait and a send window read: the person's fields, scores and zone, and this enrollment's emails.</summary>
    private static async Task<EnrollmentFacts> FactsAsync(DbConnection c, DbTransaction tx, PersonRow person, long enrollmentId, DateTimeOffset now)
    {
        var emails = (await c.QueryAsync<(string StepKey, long QueuedAt, long? OpenedAt, long? ClickedAt, long? RepliedAt)>(
            "SELECT step_key, queued_at, first_opened_at, first_clicked_at, replied_at FROM email_sends WHERE enrollment_id = @enrollmentId ORDER BY queued_at, id",
            new { enrollmentId }, tx))
            .Select(m => new EmailFacts(m.StepKey, DateTimeOffset.FromUnixTimeMilliseconds(m.QueuedAt), m.OpenedAt is not null, m.ClickedAt is not null,
                m.RepliedAt is not null)).ToList();
        var fields = NurtureSteps.FieldsOf(person);
        var zone = await NurtureSteps.ZoneOfAsync(c, tx, person);
        return new EnrollmentFacts(now, zone, fields, (int?)person.EngagementScore, (int?)person.FitScore, emails);
    }
}

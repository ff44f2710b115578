using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Nurture;

/// <summary>The thin trigger: ticks the <see cref="NurtureTicker"/> on an interval of the injected clock, and sweeps filter programs now and then.</summary>
internal sealed class NurtureScheduler(NurtureTicker ticker, NurtureSweep sweep, NurtureOptions options, TimeProvider clock, ILogger<NurtureScheduler> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.SchedulerEnabled) return;
        var interval = TimeSpan.FromSeconds(Math.Max(0.05, options.TickSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await sweep.SweepDueAsync(stoppingToken);
                var result = await ticker.TickAsync(stoppingToken);
                if (result.StepsRun > 0) log.LogInformation("Nurture: {Steps} steps run, {Emails} emails queued", result.StepsRun, result.EmailsQueued);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                // A failed tick rolled back its work; its claims lapse after the lease and the next tick picks them up.
                log.LogError(e, "Nurture tick failed; retrying in {Interval}", interval);
            }
            try { await Task.Delay(interval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}

/// <summary>
/// Enrolls the people who now match an active program's entry filter, one INSERT … SELECT per program, at most once
/// per <see cref="NurtureOptions.SweepSeconds"/> per program whichever server runs it (the program row is locked and
/// its swept_at moved in the same transaction).
/// </summary>
internal sealed class NurtureSweep(Database db, NurturePrograms programs, NurtureOptions options, TimeProvider clock)
{
    public async Task<int> SweepDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var since = now - (long)(options.SweepSeconds * 1000);
        var due = await db.ReadAsync(async c => (await c.QueryAsync<long>(
            "SELECT id FROM nurture_programs WHERE status = 'active' AND has_filter = 1 AND (swept_at IS NULL OR swept_at <= @since)", new { since })).ToList(), ct);
        var entered = 0;
        foreach (var id in due)
            entered += await db.WriteAsync(async (c, tx) =>
            {
                var program = await NurturePrograms.FindAsync(c, tx, id, forUpdate: true);
                if (program is not { Status: ProgramStatus.Active, CurrentVersion: { } version } || program.SweptAt > since) return 0;
                var definition = await programs.DefinitionAsync(c, tx, id, version);
                var result = await Enrollments.EnrollMatchingAsync(c, tx, program, definition, "sweep", now);
                await c.ExecuteAsync("UPDATE nurture_programs SET swept_at = @now WHERE id = @id", new { now, id }, tx);
                return result.Entered + result.HeldOut;
            }, ct);
        return entered;
    }
}

using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Stall;

internal sealed record StallTickResult(StallSweepResult Sweep, int Acted, int ProgramsEnded);

/// <summary>One pass of resurrection's background work: sweep for stalls, act on new ones, and settle stalls whose revival program ran out.</summary>
internal sealed class StallTicker(StallSweep sweep, StallActions actions, Consequences consequences, TimeProvider clock, MoveStage moveStage,
    LifecycleSettings lifecycle)
{
    public async Task<StallTickResult> TickAsync(CancellationToken ct = default)
    {
        var swept = await sweep.SweepAsync(ct);
        var acted = await actions.ActOnOpenAsync(ct);
        var ended = await consequences.WriteAsync(SettleEndedProgramsAsync, ct);
        return new StallTickResult(swept, acted, ended);
    }

    /// <summary>
    /// A revival program that ran to its end with no response closes its stall; when the rule says so the lead is
    /// disqualified (reason no-response). The close is the claim: only the transaction that closes the record moves the lead.
    /// </summary>
    private async Task<int> SettleEndedProgramsAsync(DbConnection c, DbTransaction tx)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var ended = (await c.QueryAsync<StallRecordRow>(
            "SELECT r.* FROM stall_records r JOIN nurture_enrollments e ON e.id = r.enrollment_id " +
            "WHERE r.state = 'acted' AND r.awaiting_revival = 1 AND e.status = 'completed' ORDER BY r.id LIMIT 200", transaction: tx)).ToList();
        var settled = 0;
        foreach (var record in ended)
        {
            var set = (await c.QuerySingleOrDefaultAsync<StallRuleVersionRow>("SELECT * FROM stall_rule_versions WHERE version = @v",
                new { v = record.RulesVersion ?? 0 }, tx))?.Parse();
            var rule = set?.Find(record.RuleKey);
            var disqualify = rule?.DisqualifyWhenProgramEnds == true;
            var program = await c.ExecuteScalarAsync<string?>("SELECT name FROM nurture_programs WHERE id = @ProgramId", record, tx);
            var why = $"'{program}' ended with no response";
            if (await StallRecords.CloseAsync(c, tx, record.Id, disqualify ? $"{why}: disqualified" : why, now) == 0) continue;
            settled++;
            if (!disqualify || await PersonStore.FindLiveAsync(c, tx, record.PersonId, forUpdate: true) is not { } person) continue;
            var actor = Actor.Rule($"stall:{record.RuleKey}", $"Stall rule '{record.RuleName}'");
            await moveStage.MoveAsync(c, tx, person, new StageMove(Stage.Disqualified, actor, now, StallActions.NoResponseReason,
                $"Stall rule '{record.RuleName}': {why}. {record.Story}", Reasons: StallActions.WithStallReasons(lifecycle.ReasonCodes)));
            await consequences.DispatchAsync(c, tx);
        }
        return settled;
    }
}

/// <summary>The thin trigger: ticks the <see cref="StallTicker"/> on an interval of the injected clock.</summary>
internal sealed class StallScheduler(StallTicker ticker, StallOptions options, TimeProvider clock, ILogger<StallScheduler> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.SchedulerEnabled) return;
        var interval = TimeSpan.FromSeconds(Math.Max(0.05, options.SweepSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            // The first sweep waits one interval: a starting server has migrations, the demo and warm-ups to finish first.
            try { await Task.Delay(interval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
            try
            {
                var result = await ticker.TickAsync(stoppingToken);
                if (result.Sweep.Stalled > 0 || result.Acted > 0)
                    log.LogInformation("Stalls: {Stalled} found, {Acted} acted on, {Closed} closed", result.Sweep.Stalled, result.Acted, result.Sweep.Closed);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                // A failed pass rolled back; the next one finds the same stalls again.
                log.LogError(e, "Stall sweep failed; retrying in {Interval}", interval);
            }
        }
    }
}

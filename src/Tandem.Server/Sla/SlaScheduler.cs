namespace Tandem.Server.Sla;

/// <summary>The thin trigger: ticks the <see cref="SlaTicker"/> on an interval of the injected clock.</summary>
internal sealed class SlaScheduler(SlaTicker ticker, SlaOptions options, TimeProvider clock, ILogger<SlaScheduler> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.SchedulerEnabled) return;
        var interval = TimeSpan.FromSeconds(Math.Max(0.05, options.TickSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await ticker.TickAsync(stoppingToken);
                if (result.Breaches > 0 || result.RemindersSent > 0)
                    log.LogInformation("SLA: {Reminders} reminders sent, {Breaches} breaches recorded", result.RemindersSent, result.Breaches);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                // A failed tick rolled back its claims; the next tick picks the same rows up again.
                log.LogError(e, "SLA tick failed; retrying in {Interval}", interval);
            }
            try { await Task.Delay(interval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}

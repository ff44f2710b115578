using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Privacy;

internal sealed class RetentionOptions
{
    public const string Section = "Tandem:Retention";

    /// <summary>Run the daily retention job in this server.</summary>
    public bool SchedulerEnabled { get; set; } = true;

    /// <summary>How often the server looks whether a day has passed since the job last ran (on any server).</summary>
    public double CheckSeconds { get; set; } = 3600;
}

/// <summary>
/// Applies the retention policy once a day. The day is the injected clock's, and the last run is kept in the database,
/// so a restart does not run it again early and servers sharing one database take turns rather than each running it.
/// </summary>
internal sealed class RetentionScheduler(Database db, RetentionSweep sweep, RetentionOptions options, TimeProvider clock, ILogger<RetentionScheduler> log)
    : BackgroundService
{
    private const string LastRunKey = "privacy.retention_last_run";
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.SchedulerEnabled) return;
        var interval = TimeSpan.FromSeconds(Math.Max(0.05, options.CheckSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Task.Delay(interval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
            try
            {
                if (!await ClaimDayAsync(stoppingToken)) continue;
                var result = await sweep.RunAsync(stoppingToken);
                if (result != new RetentionResult(0, 0, 0, 0))
                    log.LogInformation("Retention: deleted {Activities} activities, {Deliveries} deliveries, {Notifications} notifications, {ImportErrors} import error rows",
                        result.Activities, result.Deliveries, result.Notifications, result.ImportErrors);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                // Deleting is idempotent: the next check runs the day's job again.
                log.LogError(e, "Retention job failed; retrying in {Interval}", interval);
            }
        }
    }

    /// <summary>True when a day has passed since the last run; the run is recorded in the same transaction, so only one server claims it.</summary>
    private Task<bool> ClaimDayAsync(CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var now = clock.GetUtcNow();
        var last = await c.QuerySingleOrDefaultAsync<string>($"SELECT value FROM workspace_settings WHERE key = @LastRunKey{SqlDialect.Of(c).ForUpdate}",
            new { LastRunKey }, tx);
        if (long.TryParse(last, out var ms) && now - DateTimeOffset.FromUnixTimeMilliseconds(ms) < Day) return false;
        var claimed = await c.ExecuteAsync(
            "INSERT INTO workspace_settings (key, value) VALUES (@LastRunKey, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value " +
            "WHERE workspace_settings.value = @last OR @last IS NULL",
            new { LastRunKey, value = now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), last }, tx);
        return claimed > 0;
    }, ct);
}

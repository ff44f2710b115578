using Dapper;
using Tandem.Server.Notifications;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Planning;

/// <summary>
/// Tells both teams when a row of an active plan falls behind pace by more than the threshold: one plan.behind_pace
/// notification per row (a channel's, or the plan's total) per UTC day to every marketer and sales manager, through the
/// outbox. The day's alert row and its notifications are written in one transaction, so servers sharing a database tell
/// each row once.
/// </summary>
internal sealed class PacingCheck(Database db, TimeProvider clock, PlanningOptions options)
{
    public const string BehindPace = "plan.behind_pace";

    /// <returns>The rows newly reported behind pace.</returns>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var at = now.ToUnixTimeMilliseconds();
        var day = now.UtcDateTime.ToString("yyyy-MM-dd");
        var plans = await db.ReadAsync(async c =>
        {
            var views = new List<PlanDto>();
            foreach (var row in await PlanStore.ActiveAtAsync(c, at)) views.Add(await PlanView.ReadAsync(c, row, now, options.BehindPaceThreshold));
            return views;
        }, ct);

        var reported = 0;
        foreach (var plan in plans)
            foreach (var group in plan.Pacing.Groups)
                foreach (var row in group.Rows.Where(r => r.Behind))
                {
                    var key = $"{group.Channel}|{row.Step}";
                    reported += await db.WriteAsync(async (c, tx) =>
                    {
                        var added = await c.ExecuteAsync(
                            "INSERT INTO plan_pace_alerts (plan_id, row_key, day, behind_by, notified_at) VALUES (@plan, @key, @day, @behind, @at) ON CONFLICT DO NOTHING",
                            new { plan = plan.Id, key, day, behind = row.BehindBy ?? 0, at }, tx);
                        if (added == 0) return 0;
                        var payload = new
                        {
                            planId = plan.Id, plan = plan.Name, channel = group.Channel, step = row.Step, planned = row.Planned, expectedToDate = row.ExpectedToDate,
                            actual = row.Actual, behindBy = row.BehindBy, projection = row.Projection, words = row.Words, people = row.People,
                            link = $"/plan?id={plan.Id}",
                        };
                        var recipients = (await c.QueryAsync<long>("SELECT id FROM users WHERE active = 1 AND role IN (@m, @s) ORDER BY id",
                            new { m = Roles.Marketing, s = Roles.SalesManager }, tx)).ToList();
                        // With nobody to tell by email, the event still reaches the webhooks.
                        if (recipients.Count == 0) await Outbox.AddAsync(c, tx, BehindPace, null, null, payload, at);
                        foreach (var user in recipients) await Outbox.AddAsync(c, tx, BehindPace, null, user, payload, at);
                        return 1;
                    }, ct);
                }
        return reported;
    }
}

/// <summary>The thin trigger: runs the <see cref="PacingCheck"/> on an interval of the injected clock.</summary>
internal sealed class PacingScheduler(PacingCheck check, PlanningOptions options, TimeProvider clock, ILogger<PacingScheduler> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.PacingCheckEnabled) return;
        var interval = TimeSpan.FromMinutes(Math.Max(0.01, options.PacingCheckMinutes));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var rows = await check.RunAsync(stoppingToken);
                if (rows > 0) log.LogInformation("Plans: {Rows} rows behind pace reported", rows);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                log.LogError(e, "Pacing check failed; retrying in {Interval}", interval);
            }
            try { await Task.Delay(interval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}

using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Sla;

/// <summary>
/// Starts and stops SLA clocks as things happen to leads, inside the transaction that made them happen:
/// assignment starts them, a call, email or meeting stops the first touch and counts attempts, a decision stops
/// the decision clock. A clock kept too late is a breach right here, so no breach depends on a scheduler tick.
/// </summary>
internal sealed class SlaClockKeeper(TimeProvider clock, SlaBreachRecorder breaches) : IPersonEventHandler
{
    public async Task OnOwnerAssignedAsync(DbConnection c, DbTransaction tx, OwnerAssigned e)
    {
        var now = clock.GetUtcNow();
        // Clocks already running for this owner stay: routing re-confirming the same rep, or a lead that entered a
        // policy's stage with this owner earlier in the same transaction (its stage change started them).
        if ((await SlaClockStore.CurrentAsync(c, tx, e.PersonId)) is { Count: > 0 } current && current.All(k => k.Clock.OwnerUserId == e.ToUserId))
            return;
        await SlaClockStore.ReleaseAsync(c, tx, e.PersonId, "reassigned", now.ToUnixTimeMilliseconds());
        await SlaClockStarter.StartAsync(c, tx, e.PersonId, e.ToUserId, e.TeamId, now);
    }

    public async Task OnActivitiesAppendedAsync(DbConnection c, DbTransaction tx, ActivitiesAppended e)
    {
        var ids = e.PersonIds.Distinct().ToArray();
        // Tracking traffic calls this for every batch, so the id list goes as one parameter: a PostgreSQL array, or
        // JSON for SQLite (json_each is ~20x cheaper there than a hundred expanded parameters).
        var (idsIn, idsValue) = SqlDialect.Of(c).InIdList("k.person_id", "@ids", ids);
        var clocks = (await c.QueryAsync<ClockRow, string, (ClockRow Clock, Stage Stage)>(
            "SELECT k.*, p.stage FROM sla_clocks k JOIN sla_policies p ON p.id = k.policy_id " +
            $"WHERE {idsIn} AND k.released_at IS NULL",
            (k, s) => (k, Enum.Parse<Stage>(s)), new { ids = idsValue }, tx, splitOn: "stage")).ToList();
        if (clocks.Count == 0) return; // the common case for tracking traffic: nobody is waiting on these people

        var now = clock.GetUtcNow();
        foreach (var (row, stage) in clocks)
        {
            var stats = await c.QuerySingleAsync<AttemptStats>(
                "SELECT COUNT(*) AS count, MIN(occurred_at) AS firstat, MAX(occurred_at) AS lastat FROM activities " +
                $"WHERE person_id = @PersonId AND LOWER(type) IN ({AttemptTypesList}) AND source <> 'system' " +
                "AND occurred_at >= @StartedAt AND occurred_at <= @now",
                new { row.PersonId, row.StartedAt, now = now.ToUnixTimeMilliseconds() }, tx);
            if (stats.Count != row.Attempts) await SlaClockStore.SetAttemptsAsync(c, tx, row.Id, (int)stats.Count);
            if (row.StoppedAt is not null || stats.Count == 0) continue;
            var stop = SlaClockStops.OnAttempts(row.ToOpenClock(stage), At(stats.FirstAt!.Value), At(stats.LastAt!.Value), (int)stats.Count);
            if (stop is not null) await StopAsync(c, tx, row, stop, now);
        }
    }

    public async Task OnStageChangedAsync(DbConnection c, DbTransaction tx, StageChanged e)
    {
        var (personId, from, to) = (e.PersonId, e.From, e.To);
        // A person just created has no clocks and no owner yet (an assignment in the same moment arrives as OwnerAssigned);
        // returning early keeps capture — the hottest write path — free of SLA queries.
        if (from is null) return;
        var now = clock.GetUtcNow();
        foreach (var (row, stage) in await SlaClockStore.CurrentAsync(c, tx, personId))
        {
            if (row.StoppedAt is not null) continue;
            var attemptsApply = row.ParsedKind != SlaClockKind.Attempts || !to.NeedsReason()
                || (await SlaPolicyStore.FindAsync(c, tx, row.PolicyId))?.ToPolicy().Attempts?.AppliesTo(e.ReasonCode) != false;
            if (SlaClockStops.OnStageChange(row.ToOpenClock(stage), to, now, (int)row.Attempts, attemptsApply) is { } stop)
                await StopAsync(c, tx, row, stop, now);
        }
        var givenUp = to is Stage.Recycled or Stage.Disqualified;
        if (givenUp || (to.IsMain() && to > Stage.SAL))
            await SlaClockStore.ReleaseAsync(c, tx, personId, givenUp ? "closed" : "progressed", now.ToUnixTimeMilliseconds());

        // A lead that already has an owner and enters a stage with a policy (an owned Lead becoming an MQL) starts that policy's clocks.
        var owner = await c.QuerySingleOrDefaultAsync<(long? OwnerId, long? TeamId)>(
            "SELECT owner_id, owner_team_id FROM people WHERE id = @personId", new { personId }, tx);
        if (owner.OwnerId is not { } ownerId) return;
        if ((await SlaClockStore.CurrentAsync(c, tx, personId)).Any(k => k.PolicyStage == to)) return;
        await SlaClockStarter.StartAsync(c, tx, personId, ownerId, owner.TeamId, now);
    }

    private async Task StopAsync(DbConnection c, DbTransaction tx, ClockRow row, ClockStop stop, DateTimeOffset now)
    {
        var calendar = await breaches.CalendarOfPolicyAsync(c, tx, row.PolicyId);
        await SlaClockStore.StopAsync(c, tx, row.Id, stop, calendar.Between(DateTimeOffset.FromUnixTimeMilliseconds(row.StartedAt), stop.At));
        // Kept too late: the clock breached at its due time, noticed now. Given up too early: it breaches now.
        var breachedAt = stop.At > DateTimeOffset.FromUnixTimeMilliseconds(row.DueAt) ? row.DueAt : now.ToUnixTimeMilliseconds();
        if (stop.Breach) await breaches.RecordAsync(c, tx, row, breachedAt, mayReassign: false);
    }

    /// <summary>The attempt types as SQL literals: a fixed list of our own constants, never user input.</summary>
    private static readonly string AttemptTypesList = string.Join(", ", SlaClockStops.AttemptTypes.Select(t => $"'{t}'"));

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private sealed class AttemptStats
    {
        public long Count { get; set; }
        public long? FirstAt { get; set; }
        public long? LastAt { get; set; }
    }
}

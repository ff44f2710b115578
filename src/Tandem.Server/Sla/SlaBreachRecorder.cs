using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;
using Tandem.Server.Activities;
using Tandem.Server.Routing;
using Tandem.Server.Storage;

namespace Tandem.Server.Sla;

/// <summary>
/// What a breach does, in the caller's transaction: a breach row (unique per clock), an <c>sla_breached</c> fact on the
/// person's timeline, outbox notifications for the owner and the team's manager, and — when the policy says so and
/// routing is available — reassignment to the next eligible rep, whose own clocks then start.
/// </summary>
internal sealed class SlaBreachRecorder(IReassignLeads reassigner, Operations.Telemetry.TandemMetrics metrics)
{
    public static readonly Actor Sla = Actor.System("sla");

    /// <returns>False when this clock's breach was already recorded (by this or another server).</returns>
    public async Task<bool> RecordAsync(DbConnection c, DbTransaction tx, ClockRow clock, long breachedAt, bool mayReassign)
    {
        var policy = (await SlaPolicyStore.FindAsync(c, tx, clock.PolicyId))!;
        var manager = await ManagerOfAsync(c, tx, clock);
        var breachId = await c.QuerySingleOrDefaultAsync<long?>(
            "INSERT INTO sla_breaches (clock_id, person_id, policy_id, kind, owner_user_id, team_id, manager_user_id, due_at, breached_at, action) " +
            "VALUES (@Id, @PersonId, @PolicyId, @Kind, @OwnerUserId, @TeamId, @manager, @DueAt, @breachedAt, 'recorded') " +
            "ON CONFLICT (clock_id) DO NOTHING RETURNING id",
            new { clock.Id, clock.PersonId, clock.PolicyId, clock.Kind, clock.OwnerUserId, clock.TeamId, manager, clock.DueAt, breachedAt }, tx);
        if (breachId is null) return false;
        metrics.SlaBreached(clock.Kind);
        await c.ExecuteAsync("UPDATE sla_clocks SET breached_at = COALESCE(breached_at, @breachedAt) WHERE id = @Id", new { clock.Id, breachedAt }, tx);
        await SlaClockStore.DropPendingRemindersAsync(c, tx, clock.Id);

        long? reassignedTo = null;
        var currentOwner = await c.ExecuteScalarAsync<long?>("SELECT owner_id FROM people WHERE id = @PersonId", new { clock.PersonId }, tx);
        // Only the rep who broke the promise loses the lead, and only once: a second clock breaching in the same
        // tick finds the lead already moved on.
        // The new owner's clocks start from the assignment's own event, like any other assignment.
        if (mayReassign && policy.ReassignOnBreach != 0 && currentOwner == clock.OwnerUserId)
        {
            var why = $"SLA breached: {Describe(clock.ParsedKind)} under policy '{policy.Name}' was due {Instant(clock.DueAt):u}";
            reassignedTo = await reassigner.ReassignAsync(c, tx, clock.PersonId, clock.OwnerUserId, why, Sla);
        }
        var action = reassignedTo is not null ? "reassigned" : manager is not null && policy.NotifyManager != 0 ? "escalated" : "recorded";
        await c.ExecuteAsync("UPDATE sla_breaches SET action = @action, reassigned_to_user_id = @reassignedTo WHERE id = @breachId",
            new { action, reassignedTo, breachId }, tx);

        var facts = new
        {
            clockId = clock.Id, kind = clock.Kind, policyId = policy.Id, policy = policy.Name, ownerUserId = clock.OwnerUserId,
            teamId = clock.TeamId, managerUserId = manager, dueAt = Instant(clock.DueAt), breachedAt = Instant(breachedAt),
            action, reassignedToUserId = reassignedTo,
        };
        var payload = Json.Write(facts);
        await ActivityStore.AppendAsync(c, tx, new NewActivity(clock.PersonId, null, "sla_breached", breachedAt, breachedAt, ActivitySources.System, payload));
        await NotifyAsync(c, tx, Notifications.InApp.SlaEvents.Breached, clock.PersonId, clock.OwnerUserId, payload, breachedAt);
        if (manager is { } m && policy.NotifyManager != 0) await NotifyAsync(c, tx, Notifications.InApp.SlaEvents.Escalated, clock.PersonId, m, payload, breachedAt);
        return true;
    }

    public async Task<BusinessCalendar> CalendarOfPolicyAsync(DbConnection c, DbTransaction? tx, long policyId)
    {
        var calendarId = await c.ExecuteScalarAsync<long>("SELECT calendar_id FROM sla_policies WHERE id = @policyId", new { policyId }, tx);
        return (await SlaCalendars.FindAsync(c, tx, calendarId))!.ToCalendar();
    }

    public static Task NotifyAsync(DbConnection c, DbTransaction tx, string evt, long personId, long userId, string payload, long at) =>
        Notifications.Outbox.AddJsonAsync(c, tx, evt, personId, userId, payload, at);

    public static string Describe(SlaClockKind kind) => kind switch
    {
        SlaClockKind.FirstTouch => "first touch",
        SlaClockKind.Decision => "accept or reject",
        _ => "minimum attempts",
    };

    /// <summary>The manager of the clock's team, else of the first managed team the owner belongs to.</summary>
    private static Task<long?> ManagerOfAsync(DbConnection c, DbTransaction tx, ClockRow clock) =>
        c.ExecuteScalarAsync<long?>(clock.TeamId is not null
            ? "SELECT manager_user_id FROM teams WHERE id = @TeamId"
            : "SELECT t.manager_user_id FROM teams t JOIN team_members m ON m.team_id = t.id " +
              "WHERE m.user_id = @OwnerUserId AND t.manager_user_id IS NOT NULL ORDER BY t.id LIMIT 1", clock, tx);

    private static DateTimeOffset Instant(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}

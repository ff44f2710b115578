using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;

namespace Tandem.Server.Sla;

internal class ClockRow
{
    public long Id { get; set; }
    public long PersonId { get; set; }
    public long PolicyId { get; set; }
    public string Kind { get; set; } = "";
    public long OwnerUserId { get; set; }
    public long? TeamId { get; set; }
    public long StartedAt { get; set; }
    public long DueAt { get; set; }
    public long? AttemptsRequired { get; set; }
    public long Attempts { get; set; }
    public long? StoppedAt { get; set; }
    public string? StopReason { get; set; }
    public long? BusinessMs { get; set; }
    public long? BreachedAt { get; set; }
    public long? ReleasedAt { get; set; }

    public SlaClockKind ParsedKind => SlaClockKinds.Parse(Kind);

    public OpenClock ToOpenClock(Stage policyStage) => new(ParsedKind, policyStage, DateTimeOffset.FromUnixTimeMilliseconds(StartedAt),
        DateTimeOffset.FromUnixTimeMilliseconds(DueAt), BreachedAt is not null, (int?)AttemptsRequired);
}

/// <summary>Reads and writes clock rows inside the caller's transaction.</summary>
internal static class SlaClockStore
{
    /// <summary>Inserts an assignment's clocks and their reminders in two statements: this runs inside every assignment.</summary>
    public static async Task StartAsync(DbConnection c, DbTransaction tx, long personId, SlaPolicy policy, long ownerUserId, long? teamId,
        IReadOnlyList<PlannedClock> clocks)
    {
        if (clocks.Count == 0) return;
        var p = new DynamicParameters(new { personId, policyId = policy.Id, ownerUserId, teamId, startedAt = clocks[0].StartedAt.ToUnixTimeMilliseconds() });
        var values = new List<string>();
        for (var i = 0; i < clocks.Count; i++)
        {
            values.Add($"(@personId, @policyId, @k{i}, @ownerUserId, @teamId, @startedAt, @d{i}, @r{i})");
            p.Add($"k{i}", clocks[i].Kind.ToCode());
            p.Add($"d{i}", clocks[i].DueAt.ToUnixTimeMilliseconds());
            p.Add($"r{i}", clocks[i].AttemptsRequired);
        }
        var ids = (await c.QueryAsync<(long Id, string Kind)>(
            "INSERT INTO sla_clocks (person_id, policy_id, kind, owner_user_id, team_id, started_at, due_at, attempts_required) VALUES " +
            string.Join(", ", values) + " RETURNING id, kind", p, tx)).ToDictionary(r => r.Kind, r => r.Id);

        var reminders = new DynamicParameters();
        var rows = new List<string>();
        foreach (var clock in clocks)
            foreach (var reminder in clock.Reminders)
            {
                var n = rows.Count;
                rows.Add($"(@c{n}, @p{n}, @d{n})");
                reminders.Add($"c{n}", ids[clock.Kind.ToCode()]);
                reminders.Add($"p{n}", (int)Math.Round(reminder.Fraction * 100));
                reminders.Add($"d{n}", reminder.At.ToUnixTimeMilliseconds());
            }
        if (rows.Count > 0)
            await c.ExecuteAsync("INSERT INTO sla_reminders (clock_id, percent, due_at) VALUES " + string.Join(", ", rows), reminders, tx);
    }

    /// <summary>The clocks of the person's current assignment (not yet released), with their policy's stage.</summary>
    public static async Task<IReadOnlyList<(ClockRow Clock, Stage PolicyStage)>> CurrentAsync(DbConnection c, DbTransaction tx, long personId) =>
        (await c.QueryAsync<ClockRow, string, (ClockRow, Stage)>(
            "SELECT k.*, p.stage FROM sla_clocks k JOIN sla_policies p ON p.id = k.policy_id " +
            "WHERE k.person_id = @personId AND k.released_at IS NULL ORDER BY k.id",
            (k, stage) => (k, Enum.Parse<Stage>(stage)), new { personId }, tx, splitOn: "stage")).ToList();

    public static async Task StopAsync(DbConnection c, DbTransaction tx, long clockId, ClockStop stop, TimeSpan businessTime)
    {
        await c.ExecuteAsync("UPDATE sla_clocks SET stopped_at = @at, stop_reason = @reason, business_ms = @ms WHERE id = @clockId AND stopped_at IS NULL",
            new { clockId, at = stop.At.ToUnixTimeMilliseconds(), reason = stop.Reason, ms = (long)businessTime.TotalMilliseconds }, tx);
        await DropPendingRemindersAsync(c, tx, clockId);
    }

    /// <summary>Reminders of a clock that stopped or breached will never be sent; they are not history, so they go.</summary>
    public static Task DropPendingRemindersAsync(DbConnection c, DbTransaction tx, long clockId) =>
        c.ExecuteAsync("DELETE FROM sla_reminders WHERE clock_id = @clockId AND sent_at IS NULL", new { clockId }, tx);

    /// <summary>Ends the current assignment's clocks: open ones stop with <paramref name="reason"/>, and attempts stop counting.</summary>
    /// <returns>The number of clocks released.</returns>
    public static async Task<int> ReleaseAsync(DbConnection c, DbTransaction tx, long personId, string reason, long at)
    {
        var released = await c.ExecuteAsync(
            "UPDATE sla_clocks SET stop_reason = CASE WHEN stopped_at IS NULL THEN @reason ELSE stop_reason END, " +
            "stopped_at = COALESCE(stopped_at, @at), released_at = @at WHERE person_id = @personId AND released_at IS NULL",
            new { personId, reason, at }, tx);
        if (released > 0)
            await c.ExecuteAsync("DELETE FROM sla_reminders WHERE sent_at IS NULL AND clock_id IN " +
                                 "(SELECT id FROM sla_clocks WHERE person_id = @personId AND released_at = @at)", new { personId, at }, tx);
        return released;
    }

    public static Task SetAttemptsAsync(DbConnection c, DbTransaction tx, long clockId, int attempts) =>
        c.ExecuteAsync("UPDATE sla_clocks SET attempts = @attempts WHERE id = @clockId", new { clockId, attempts }, tx);
}

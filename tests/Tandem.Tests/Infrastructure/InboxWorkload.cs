using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Tests.Infrastructure;

/// <summary>One open lead as seeded, with what the inbox's filters look at: the expected answer for every view.</summary>
internal sealed record SeededLead(long Id, string Name, long OwnerId, string Stage, string Source, long? DueAt, bool Overdue, bool Revived, long AssignedAt);

/// <summary>
/// A busy inbox written straight into the tables: open leads spread over owners, stages and sources, some with a
/// service-level deadline already passed, some due later, some revived from a stall. The pattern is fixed by each
/// lead's number, so every test knows exactly which leads each filter should find.
/// </summary>
internal static class InboxWorkload
{
    public static readonly string[] Sources = ["paid_search", "organic", "referral"];

    private const string WeekdayHours = "{\"monday\":[\"09:00-17:00\"],\"tuesday\":[\"09:00-17:00\"],\"wednesday\":[\"09:00-17:00\"],\"thursday\":[\"09:00-17:00\"],\"friday\":[\"09:00-17:00\"]}";

    /// <param name="now">The instant the inbox is read at: overdue deadlines fall before it, the others after.</param>
    public static Task<IReadOnlyList<SeededLead>> SeedAsync(Database db, IReadOnlyList<long> owners, int count, DateTimeOffset now, string prefix = "lead") =>
        db.WriteAsync<IReadOnlyList<SeededLead>>(async (c, tx) =>
        {
            var at = now.ToUnixTimeMilliseconds();
            var calendar = await c.ExecuteScalarAsync<long>(
                "INSERT INTO sla_calendars (name, time_zone, weekly_hours, created_at, updated_at) VALUES (@name, 'UTC', @hours, @at, @at) RETURNING id",
                new { name = $"{prefix} calendar", at, hours = WeekdayHours }, tx);
            var policy = await c.ExecuteScalarAsync<long>(
                "INSERT INTO sla_policies (name, stage, priority, calendar_id, created_at, updated_at) VALUES (@name, 'MQL', 1, @calendar, @at, @at) RETURNING id",
                new { name = $"{prefix} policy", calendar, at }, tx);
            var seeded = new List<SeededLead>();
            for (var i = 0; i < count; i++)
            {
                var owner = owners[i % owners.Count];
                var stage = i % 3 == 0 ? "SAL" : "MQL";
                var source = Sources[(i % 5) switch { 0 or 1 => 0, 2 or 3 => 1, _ => 2 }];
                var overdue = i % 7 == 0;
                long? due = overdue ? at - (i + 1) * 60_000L : i % 2 == 0 ? at + (i + 1) * 60_000L : null;
                var revived = i % 6 == 4;
                var assigned = at - (i + 1) * 3_600_000L;
                var name = $"Lead {prefix} {i:000}";
                var id = await c.ExecuteScalarAsync<long>(
                    "INSERT INTO people (email, first_name, last_name, stage, stage_changed_at, first_touch_channel, owner_id, owner_assigned_at, created_at, updated_at) " +
                    "VALUES (@email, 'Lead', @last, @stage, @assigned, @source, @owner, @assigned, @assigned, @assigned) RETURNING id",
                    new { email = $"{prefix}{i:000}@inbox.example", last = $"{prefix} {i:000}", stage, source, owner, assigned }, tx);
                if (due is { } d)
                    await c.ExecuteAsync(
                        "INSERT INTO sla_clocks (person_id, policy_id, kind, owner_user_id, started_at, due_at, breached_at) VALUES (@id, @policy, @kind, @owner, @assigned, @d, @breached)",
                        new { id, policy, kind = stage == "MQL" ? "decision" : "attempts", owner, assigned, d, breached = overdue ? d : (long?)null }, tx);
                if (revived)
                    await c.ExecuteAsync(
                        "INSERT INTO stall_records (person_id, rule_key, rule_name, kind, stage, stalled_since, detected_at, owner_id, story, state, revived_at, revival_cause, revived_owner_id) " +
                        "VALUES (@id, 'quiet', 'Quiet for two weeks', 'no_activity', @stage, @assigned, @assigned, @owner, 'No touch for 14 days', 'revived', @at, 'visited pricing', @owner)",
                        new { id, stage, assigned, owner, at }, tx);
                seeded.Add(new SeededLead(id, name, owner, stage, source, due, overdue, revived, assigned));
            }
            return seeded;
        });

    /// <summary>The inbox's order: the soonest deadline first (passed ones at the top), then the longest waiting.</summary>
    public static IEnumerable<SeededLead> InInboxOrder(this IEnumerable<SeededLead> leads) =>
        leads.OrderBy(l => l.DueAt is null).ThenBy(l => l.DueAt).ThenBy(l => l.AssignedAt).ThenBy(l => l.Id);
}

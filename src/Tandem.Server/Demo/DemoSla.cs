using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;
using Tandem.Server.Activities;
using Tandem.Server.People;
using Tandem.Server.Routing;
using Tandem.Server.Sla;
using Tandem.Server.Storage;

namespace Tandem.Server.Demo;

/// <summary>
/// The demo workspace's agreement: two office calendars, three sales policies, marketing's monthly commitments — and
/// 90 days of SLA history for the demo MQLs nobody owns yet (assignment, first touches, attempts, breaches), so both
/// scorecards open with real numbers. Clocks still due after the seeding instant are left running for the scheduler.
/// </summary>
internal static class DemoSla
{
    private static readonly string[] UsHolidays = ["2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07",
        "2026-11-26", "2026-12-25", "2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24"];
    private static readonly string[] EmeaHolidays = ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25", "2026-10-03",
        "2026-12-24", "2026-12-25", "2026-12-26", "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-17", "2027-12-24", "2027-12-25"];

    private sealed record Mql(long PersonId, long At, string? Region, string? FitGrade, string? FirstTouchChannel);
    private sealed record Decision(long PersonId, string ToStage, long ChangedAt);

    public static async Task SeedAsync(DbConnection c, DbTransaction tx, AssignOwner assignOwner, DateTimeOffset now)
    {
        var at = now.ToUnixTimeMilliseconds();
        var americas = await CalendarAsync(c, tx, "Americas office", "America/New_York", "09:00-17:00", UsHolidays, at);
        var emea = await CalendarAsync(c, tx, "EMEA office", "Europe/Berlin", "09:00-18:00", EmeaHolidays, at);
        var teams = (await c.QueryAsync<(long TeamId, string Name, long UserId)>(
            "SELECT t.id, t.name, m.user_id FROM teams t JOIN team_members m ON m.team_id = t.id ORDER BY t.id, m.user_id", transaction: tx)).ToList();
        var emeaTeam = teams.FirstOrDefault(t => t.Name == "EMEA SDR").TeamId;

        await PolicyAsync(c, tx, "MQL grade A: fast lane", 10, americas, [], ["A"], 1, "hours", 4, "hours", 6, 10, reassign: true, at);
        await PolicyAsync(c, tx, "MQL EMEA", 20, emea, emeaTeam == 0 ? [] : [emeaTeam], [], 2, "hours", 1, "days", 5, 10, reassign: false, at);
        await PolicyAsync(c, tx, "MQL standard", 100, americas, [], [], 4, "hours", 1, "days", 4, 10, reassign: false, at);
        await CommitmentAsync(c, tx, "Inbound MQLs", 500, 65, [], at);
        await CommitmentAsync(c, tx, "Paid Search MQLs", 120, 60, ["Paid Search"], at);

        if (teams.Count > 0) await SimulateHistoryAsync(c, tx, assignOwner, teams, emeaTeam, now);
    }

    private static async Task SimulateHistoryAsync(DbConnection c, DbTransaction tx, AssignOwner assignOwner,
        List<(long TeamId, string Name, long UserId)> teams, long emeaTeam, DateTimeOffset now)
    {
        var random = new Random(20261201);
        var names = (await c.QueryAsync<(long Id, string Name)>("SELECT id, name FROM users", transaction: tx)).ToDictionary(u => u.Id, u => u.Name);
        var policies = await SlaPolicyStore.ActiveAsync(c, tx);
        var calendars = await SlaCalendars.LoadAllAsync(c, tx);
        var decisions = (await c.QueryAsync<Decision>("SELECT person_id, to_stage, changed_at FROM stage_changes WHERE from_stage = 'MQL'", transaction: tx))
            .GroupBy(d => d.PersonId).ToDictionary(g => g.Key, g => g.OrderBy(d => d.ChangedAt).First());
        var mqls = await c.QueryAsync<Mql>(
            "SELECT sc.person_id, sc.changed_at AS at, p.region, p.fit_grade, p.first_touch_channel FROM stage_changes sc JOIN people p ON p.id = sc.person_id " +
            "WHERE sc.to_stage = 'MQL' AND p.owner_id IS NULL AND p.merged_into_id IS NULL ORDER BY sc.changed_at, sc.id", transaction: tx);
        var inboundTeam = teams.First(t => t.TeamId != emeaTeam).TeamId;
        var turn = new Dictionary<long, int>();

        foreach (var mql in mqls)
        {
            var teamId = mql.Region == "EMEA" && emeaTeam != 0 ? emeaTeam : inboundTeam;
            var reps = teams.Where(t => t.TeamId == teamId).Select(t => t.UserId).ToList();
            var rep = reps[turn[teamId] = (turn.GetValueOrDefault(teamId, -1) + 1) % reps.Count];
            var assignedAt = DateTimeOffset.FromUnixTimeMilliseconds(mql.At);
            var person = (await PersonStore.FindAsync(c, tx, mql.PersonId))!;
            await assignOwner.AssignAsync(c, tx, person, DemoRouting.RoundRobin(rep, names.GetValueOrDefault(rep) ?? $"user {rep}", teamId, mql.At));

            var policy = SlaPolicies.Match(policies, new LeadFacts(Stage.MQL, mql.FitGrade, mql.FirstTouchChannel, teamId));
            if (policy is null) continue;
            var calendar = calendars[policy.CalendarId];
            var plan = SlaClockPlanner.Plan(policy, calendar, assignedAt);
            var decision = decisions.GetValueOrDefault(mql.PersonId);
            var decidedAt = decision is null ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(decision.ChangedAt);
            var accepted = decision is not null && decision.ToStage is not ("Recycled" or "Disqualified");
            var attempts = Attempts(random, calendar, assignedAt, plan[0].DueAt, decidedAt, accepted, now);
            foreach (var (attemptAt, i) in attempts.Select((a, i) => (a, i)))
                await Activity(c, tx, mql.PersonId, i % 3 == 1 ? "email" : "call", attemptAt.ToUnixTimeMilliseconds(), ActivitySources.Api,
                    new { outcome = i == attempts.Count - 1 && accepted ? "connected" : "voicemail", by = names.GetValueOrDefault(rep) });

            var released = decision is not null && decision.ToStage is not "SAL" ? decidedAt : null;
            foreach (var clock in plan)
                await ClockAsync(c, tx, mql.PersonId, policy, rep, teamId, clock, calendar, attempts, decision, decidedAt, released, now);
        }
    }

    /// <summary>Most first touches land inside the target, some late, a few never; accepted leads were always reached first.</summary>
    private static List<DateTimeOffset> Attempts(Random random, BusinessCalendar calendar, DateTimeOffset start, DateTimeOffset touchDue,
        DateTimeOffset? decidedAt, bool accepted, DateTimeOffset now)
    {
        var target = calendar.Between(start, touchDue);
        var roll = random.NextDouble();
        if (roll >= 0.9 && !accepted) return [];
        var delay = roll < 0.72 ? target * (0.05 + random.NextDouble() * 0.9) : target * (1.1 + random.NextDouble() * 3);
        var first = calendar.AddTime(start, delay);
        if (accepted && decidedAt is { } d && first >= d) first = calendar.AddTime(start, (calendar.Between(start, d) * 0.8));
        var list = new List<DateTimeOffset>();
        var end = decidedAt is { } until && !accepted ? until : now;
        for (var next = first; next < end && list.Count < 8; next = calendar.AddTime(next, TimeSpan.FromHours(2 + random.NextDouble() * 14)))
        {
            list.Add(next);
            // Reps keep calling the leads they accepted until the attempts are made; others often give up early.
            if (!accepted && random.NextDouble() < 0.3) break;
        }
        return list;
    }

    private static async Task ClockAsync(DbConnection c, DbTransaction tx, long personId, SlaPolicy policy, long rep, long teamId, PlannedClock clock,
        BusinessCalendar calendar, List<DateTimeOffset> attempts, Decision? decision, DateTimeOffset? decidedAt, DateTimeOffset? released, DateTimeOffset now)
    {
        DateTimeOffset? stoppedAt = null;
        string? reason = null;
        switch (clock.Kind)
        {
            case SlaClockKind.FirstTouch when attempts.Count > 0: (stoppedAt, reason) = (attempts[0], "touched"); break;
            case SlaClockKind.Decision when decidedAt is not null: (stoppedAt, reason) = (decidedAt, "decided"); break;
            case SlaClockKind.Attempts when attempts.Count >= clock.AttemptsRequired: (stoppedAt, reason) = (attempts[clock.AttemptsRequired!.Value - 1], "attempts_met"); break;
        }
        if (stoppedAt is null && released is not null) (stoppedAt, reason) = (released, decision!.ToStage is "Recycled" or "Disqualified" ? "closed" : "progressed");
        var endOfWatch = stoppedAt ?? now;
        var early = reason == "closed" && clock.Kind == SlaClockKind.Attempts;
        DateTimeOffset? breachedAt = endOfWatch > clock.DueAt ? clock.DueAt : early ? stoppedAt : null;
        if (reason == "closed" && clock.Kind == SlaClockKind.FirstTouch && stoppedAt <= clock.DueAt) breachedAt = null;

        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO sla_clocks (person_id, policy_id, kind, owner_user_id, team_id, started_at, due_at, attempts_required, attempts, stopped_at, stop_reason, business_ms, breached_at, released_at) " +
            "VALUES (@personId, @policyId, @kind, @rep, @teamId, @startedAt, @dueAt, @required, @count, @stopped, @reason, @ms, @breached, @released) RETURNING id",
            new
            {
                personId, policyId = policy.Id, kind = clock.Kind.ToCode(), rep, teamId, startedAt = clock.StartedAt.ToUnixTimeMilliseconds(),
                dueAt = clock.DueAt.ToUnixTimeMilliseconds(), required = clock.AttemptsRequired, count = attempts.Count(a => released is null || a <= released),
                stopped = stoppedAt?.ToUnixTimeMilliseconds(), reason, ms = stoppedAt is { } s ? (long?)calendar.Between(clock.StartedAt, s).TotalMilliseconds : null,
                breached = breachedAt?.ToUnixTimeMilliseconds(), released = released?.ToUnixTimeMilliseconds(),
            }, tx);
        foreach (var reminder in clock.Reminders.Where(_ => stoppedAt is null && breachedAt is null))
            await c.ExecuteAsync("INSERT INTO sla_reminders (clock_id, percent, due_at, sent_at) VALUES (@id, @percent, @due, @sent)",
                new { id, percent = (int)Math.Round(reminder.Fraction * 100), due = reminder.At.ToUnixTimeMilliseconds(), sent = reminder.At <= now ? reminder.At.ToUnixTimeMilliseconds() : (long?)null }, tx);
        if (breachedAt is not { } b) return;
        var manager = await c.ExecuteScalarAsync<long?>("SELECT manager_user_id FROM teams WHERE id = @teamId", new { teamId }, tx);
        await c.ExecuteAsync("INSERT INTO sla_breaches (clock_id, person_id, policy_id, kind, owner_user_id, team_id, manager_user_id, due_at, breached_at, action) " +
                             "VALUES (@id, @personId, @policyId, @kind, @rep, @teamId, @manager, @due, @b, 'escalated')",
            new { id, personId, policyId = policy.Id, kind = clock.Kind.ToCode(), rep, teamId, manager, due = clock.DueAt.ToUnixTimeMilliseconds(), b = b.ToUnixTimeMilliseconds() }, tx);
        await Activity(c, tx, personId, "sla_breached", b.ToUnixTimeMilliseconds(), ActivitySources.System,
            new { clockId = id, kind = clock.Kind.ToCode(), policyId = policy.Id, policy = policy.Name, ownerUserId = rep, teamId, managerUserId = manager, dueAt = clock.DueAt, action = "escalated" });
    }

    private static Task<long?> Activity(DbConnection c, DbTransaction tx, long personId, string type, long at, string source, object properties) =>
        ActivityStore.AppendAsync(c, tx, new NewActivity(personId, null, type, at, at, source, Json.Write(properties)));

    private static Task<long> CalendarAsync(DbConnection c, DbTransaction tx, string name, string zone, string hours, string[] holidays, long at) =>
        c.ExecuteScalarAsync<long>("INSERT INTO sla_calendars (name, time_zone, weekly_hours, holidays, created_at, updated_at) VALUES (@name, @zone, @week, @days, @at, @at) RETURNING id",
            new
            {
                name, zone, at,
                week = Json.Write(new[] { "monday", "tuesday", "wednesday", "thursday", "friday" }.ToDictionary(d => d, _ => new[] { hours })),
                days = Json.Write(holidays.Select(d => new HolidayDto(DateOnly.Parse(d), null))),
            }, tx);

    private static Task PolicyAsync(DbConnection c, DbTransaction tx, string name, int priority, long calendarId, long[] teamIds, string[] grades,
        int touch, string touchUnit, int decide, string decideUnit, int attempts, int overDays, bool reassign, long at) =>
        c.ExecuteAsync(SlaPolicyStore.Insert, new PolicyRow
        {
            Name = name, Stage = "MQL", Segment = Json.Write(new SegmentDto(grades.ToList(), [], teamIds.ToList())), Priority = priority, CalendarId = calendarId,
            FirstTouchAmount = touch, FirstTouchUnit = touchUnit, DecisionAmount = decide, DecisionUnit = decideUnit,
            AttemptsMinimum = attempts, AttemptsAmount = overDays, AttemptsUnit = "days", ReminderPercents = "[50,90]",
            NotifyManager = 1, ReassignOnBreach = reassign ? 1 : 0, Active = 1, CreatedAt = at, UpdatedAt = at,
        }, tx);

    private static Task CommitmentAsync(DbConnection c, DbTransaction tx, string name, int mqls, int percent, string[] sources, long at) =>
        c.ExecuteAsync("INSERT INTO sla_marketing_commitments (name, minimum_mqls_per_month, minimum_acceptance_percent, sources, active, created_at, updated_at) " +
                       "VALUES (@name, @mqls, @percent, @sources, 1, @at, @at)", new { name, mqls, percent, sources = Json.Write(sources), at }, tx);
}

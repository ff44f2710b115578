using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;
using Tandem.Domain.Stall;
using Tandem.Server.Activities;
using Tandem.Server.Lifecycle;
using Tandem.Server.Sla;
using Tandem.Server.Storage;

namespace Tandem.Server.Stall;

/// <summary>What one sweep did: the people it looked at, the stalls it recorded and the records it closed.</summary>
internal sealed record StallSweepResult(bool Full, int Examined, int Stalled, int Closed);

/// <summary>
/// Finds stalled leads. A sweep works on a set, never person by person: the people changed since the previous sweep
/// (updated, or with activities past the watermark) and those whose next due time has come, all read in one statement
/// (<see cref="StallFactsReader"/>). For each it asks the rules (<see cref="StallEvaluator"/>) whether the lead is
/// stalled now — a stall record, with its story — or from when it will be: kept as the lead's due time, so a sweep with
/// nothing new and nothing due reads a few index entries and stops. Publishing new rules makes the next sweep a full one.
/// The sweep row is locked for the sweep's transaction, so two servers never sweep at once, and a record per person
/// and rule is unique while live.
/// </summary>
internal sealed class StallSweep(Database db, TimeProvider clock, StallOptions options, ReasonCatalog reasons)
{
    private sealed class SweepState
    {
        public long? RulesVersion { get; set; }
        public long ActivityWatermark { get; set; }
        public long PeopleWatermark { get; set; }
    }

    public Task<StallSweepResult> SweepAsync(CancellationToken ct = default) => db.WriteAsync(SweepAsync, ct);

    private async Task<StallSweepResult> SweepAsync(DbConnection c, DbTransaction tx)
    {
        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var state = await c.QuerySingleAsync<SweepState>("SELECT rules_version, activity_watermark, people_watermark FROM stall_sweep WHERE id = 1" +
                                                         SqlDialect.Of(c).ForUpdate, transaction: tx);
        var (version, set) = await StallRuleStore.CurrentAsync(c, tx);
        var full = state.RulesVersion != version;
        var watched = set.Rules.SelectMany(r => r.Stages).Distinct().Select(s => s.ToString()).ToArray();
        var inWatched = SqlDialect.Of(c).In("p.stage", "@watched");

        await c.ExecuteAsync("DELETE FROM stall_sweep_people", transaction: tx);
        if (set.Rules.Count == 0 && !full)
        {
            // No rules: nothing can stall; only the watermarks move.
        }
        else if (full)
        {
            await c.ExecuteAsync("DELETE FROM stall_watch", transaction: tx);
            if (watched.Length > 0)
                await c.ExecuteAsync($"INSERT INTO stall_sweep_people (person_id) SELECT p.id FROM people p WHERE p.merged_into_id IS NULL AND p.erased_at IS NULL AND {inWatched}",
                    new { watched }, tx, commandTimeout: 600);
        }
        else
        {
            // Changed since the last sweep (people rows, or new activities), or due now. Each part is one index range.
            await c.ExecuteAsync(
                "INSERT INTO stall_sweep_people (person_id) " +
                "SELECT p.id FROM people p WHERE p.updated_at >= @pw " +
                "UNION SELECT a.person_id FROM activities a WHERE a.id > @aw AND a.person_id IS NOT NULL " +
                "UNION SELECT w.person_id FROM stall_watch w WHERE w.due_at <= @now",
                new { pw = state.PeopleWatermark, aw = state.ActivityWatermark, now = nowMs }, tx, commandTimeout: 600);
        }

        var leads = await StallFactsReader.ReadAsync(c, tx, "p.merged_into_id IS NULL AND p.erased_at IS NULL AND p.id IN (SELECT person_id FROM stall_sweep_people)",
            reasons.LostStageReason);
        var calendars = set.Rules.Any(r => r.CalendarId is not null) ? await SlaCalendars.LoadAllAsync(c, tx) : new Dictionary<long, BusinessCalendar>();
        var live = (await c.QueryAsync<StallRecordRow>(
                "SELECT * FROM stall_records WHERE state IN ('open', 'acted') AND person_id IN (SELECT person_id FROM stall_sweep_people)", transaction: tx))
            .ToLookup(r => r.PersonId);

        var watchRows = new List<object>();
        var seen = new HashSet<long>();
        int stalled = 0, closed = 0;
        foreach (var (facts, peak) in leads)
        {
            seen.Add(facts.PersonId);
            DateTimeOffset? due = null;
            string? dueRule = null;
            var mine = live[facts.PersonId].ToList();
            foreach (var rule in set.Rules)
            {
                var calendar = rule.CalendarId is { } id && calendars.TryGetValue(id, out var cal) ? cal : null;
                var from = StallEvaluator.StalledFrom(rule, facts, calendar);
                if (mine.FirstOrDefault(r => r.RuleKey == rule.Key) is { } record)
                {
                    // Still stalled, or waiting for a revival its actions started: the record stays. Otherwise the owner
                    // touched it, or it moved on: the stall is over.
                    if (record.AwaitingRevival == 0 && (from is null || from > now))
                        closed += await StallRecords.CloseAsync(c, tx, record.Id, Resolution(facts, record), nowMs);
                    continue;
                }
                if (from is { } f && f <= now)
                {
                    stalled += await RecordAsync(c, tx, version, rule, facts, f, now, calendar);
                    continue;
                }
                if (from is { } later && (due is null || later < due)) (due, dueRule) = (later, rule.Key);
            }
            // A record waiting for a revival ends when the lead moves on by another road (accepted by hand, won, disqualified).
            foreach (var record in mine.Where(r => r.AwaitingRevival != 0 && set.Find(r.RuleKey) is not null))
                if (facts.Stage.ToString() != record.Stage && facts.Stage != Stage.Recycled && record.State == StallState.Acted)
                    closed += await StallRecords.CloseAsync(c, tx, record.Id, $"moved on to {facts.Stage}", nowMs);

            if (watched.Contains(facts.Stage.ToString()))
                watchRows.Add(new
                {
                    facts.PersonId, LastTouch = facts.LastOwnerTouchAt?.ToUnixTimeMilliseconds(), facts.Touches.Calls, facts.Touches.Emails,
                    facts.Touches.Meetings, LastLead = facts.LastLeadActivityAt?.ToUnixTimeMilliseconds(), Peak = peak,
                    DueAt = due?.ToUnixTimeMilliseconds(), DueRule = dueRule,
                });
            else if (!full) await c.ExecuteAsync("DELETE FROM stall_watch WHERE person_id = @PersonId", new { facts.PersonId }, tx);
        }
        if (watchRows.Count > 0)
            await c.ExecuteAsync(
                "INSERT INTO stall_watch (person_id, last_owner_touch_at, calls, emails, meetings, last_lead_activity_at, peak_engagement, due_at, due_rule) " +
                "VALUES (@PersonId, @LastTouch, @Calls, @Emails, @Meetings, @LastLead, @Peak, @DueAt, @DueRule) " +
                "ON CONFLICT (person_id) DO UPDATE SET last_owner_touch_at = excluded.last_owner_touch_at, calls = excluded.calls, emails = excluded.emails, " +
                "meetings = excluded.meetings, last_lead_activity_at = excluded.last_lead_activity_at, peak_engagement = excluded.peak_engagement, " +
                "due_at = excluded.due_at, due_rule = excluded.due_rule", watchRows, tx);
        // Merged people (and anyone in the work set no longer readable) stop being watched.
        if (!full)
            await c.ExecuteAsync("DELETE FROM stall_watch WHERE person_id IN (SELECT s.person_id FROM stall_sweep_people s JOIN people p ON p.id = s.person_id " +
                                 "WHERE p.merged_into_id IS NOT NULL)", transaction: tx);

        var examined = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM stall_sweep_people", transaction: tx);
        await c.ExecuteAsync("DELETE FROM stall_sweep_people", transaction: tx);
        var activityWatermark = await c.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM activities", transaction: tx) ?? 0;
        await c.ExecuteAsync(
            "UPDATE stall_sweep SET rules_version = @version, activity_watermark = @activityWatermark, people_watermark = @peopleWatermark, swept_at = @nowMs " +
            "WHERE id = 1", new { version, activityWatermark, peopleWatermark = nowMs - (long)(options.OverlapSeconds * 1000), nowMs }, tx);
        return new StallSweepResult(full, (int)examined, stalled, closed);
    }

    private async Task<int> RecordAsync(DbConnection c, DbTransaction tx, long version, StallRule rule, StallFacts f, DateTimeOffset since, DateTimeOffset now,
        BusinessCalendar? calendar)
    {
        var story = StallStory.Tell(rule, f, now, calendar);
        var nowMs = now.ToUnixTimeMilliseconds();
        var inserted = await c.ExecuteAsync(StallRecords.Insert, new
        {
            f.PersonId, RuleKey = rule.Key, RuleName = rule.Name, RulesVersion = version, Kind = StallRuleParser.KindNames.First(k => k.Value == rule.Kind).Key,
            Stage = f.Stage.ToString(), StalledSince = since.ToUnixTimeMilliseconds(), DetectedAt = nowMs, f.OwnerId, f.OwnerName, f.TeamId, f.Source,
            LastTouchAt = f.LastOwnerTouchAt?.ToUnixTimeMilliseconds(), LastLeadActivityAt = f.LastLeadActivityAt?.ToUnixTimeMilliseconds(), Story = story,
            State = StallState.Open, AwaitingRevival = rule.AwaitsRevival ? 1 : 0,
        }, tx);
        if (inserted == 0) return 0;
        await ActivityStore.AppendAsync(c, tx, new NewActivity(f.PersonId, null, "stall_detected", nowMs, nowMs, ActivitySources.System,
            Json.Write(new { rule = rule.Name, ruleKey = rule.Key, version, story })));
        return 1;
    }

    private static string Resolution(StallFacts f, StallRecordRow record) =>
        f.Stage.ToString() != record.Stage ? $"moved on to {f.Stage}"
        : f.LastOwnerTouchAt?.ToUnixTimeMilliseconds() >= record.DetectedAt ? "the owner touched the lead"
        : f.LastLeadActivityAt?.ToUnixTimeMilliseconds() >= record.DetectedAt ? "the lead was active again"
        : "no longer stalled";
}

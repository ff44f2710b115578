using System.Data.Common;
using System.Text.Json;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;
using Tandem.Domain.Stall;
using Tandem.Server.Activities;
using Tandem.Server.Lifecycle;
using Tandem.Server.Notifications;
using Tandem.Server.Nurture;
using Tandem.Server.People;
using Tandem.Server.Sla;
using Tandem.Server.Storage;

namespace Tandem.Server.Stall;

/// <summary>
/// Brings stalled leads back. A lead with a live stall record that replies, clicks, fills a form or books a meeting —
/// or a recycled lead that scores back over the MQL line — is revived: the record says by what ("replied to step 2 of
/// 'Win back'"), the timeline shows it, and a recycled lead goes back to sales as an MQL (routing picks the rep, and
/// the revived-lead SLA policy, when the rules name one, holds them to it). The rep hears of it with the stall's story.
/// </summary>
internal sealed class ReviveOnEvents(TimeProvider clock, MoveStage moveStage, NurturePrograms programs) : IPersonEventHandler
{
    public static readonly Actor Revival = Actor.Rule("revival", "Revival");

    /// <summary>The lead's own activities that bring it back, with how they read.</summary>
    private static readonly Dictionary<string, string> ReviveTypes = new()
    {
        ["form_submitted"] = "form", ["meeting_booked"] = "meeting",
    };

    public async Task OnEmailEventRecordedAsync(DbConnection c, DbTransaction tx, EmailEventRecorded e)
    {
        if (e.Kind is not (EmailEventKind.Replied or EmailEventKind.Clicked)) return;
        if ((await StallRecords.LiveOfAsync(c, tx, e.PersonId)).Count == 0) return;
        var verb = e.Kind == EmailEventKind.Replied ? "replied to" : "clicked a link in";
        var cause = $"{verb} an email";
        if (e.ProgramId is { } programId && await NurturePrograms.FindAsync(c, tx, programId) is { } program)
        {
            var version = e.EnrollmentId is { } enrollment
                ? await c.ExecuteScalarAsync<long?>("SELECT version FROM nurture_enrollments WHERE id = @enrollment", new { enrollment }, tx)
                : program.CurrentVersion;
            var step = e.StepKey;
            if (version is { } v && step is not null)
            {
                var index = (await programs.DefinitionAsync(c, tx, programId, v)).Steps.ToList().FindIndex(s => s.Key == step);
                if (index >= 0) step = (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            cause = step is null ? $"{verb} '{program.Name}'" : $"{verb} step {step} of '{program.Name}'";
        }
        await ReviveAsync(c, tx, e.PersonId, e.Kind == EmailEventKind.Replied ? "replied" : "clicked", cause, createIfNone: false);
    }

    public async Task OnActivitiesAppendedAsync(DbConnection c, DbTransaction tx, ActivitiesAppended e)
    {
        // Tracking calls this for every batch: one indexed read decides that none of these people is stalled.
        var (idsIn, ids) = SqlDialect.Of(c).InIdList("person_id", "@ids", e.PersonIds.Distinct().ToArray());
        var stalled = (await c.QueryAsync<(long PersonId, long DetectedAt)>(
            $"SELECT person_id, MIN(detected_at) FROM stall_records WHERE state IN ('open', 'acted') AND {idsIn} GROUP BY person_id", new { ids }, tx)).ToList();
        foreach (var (personId, detectedAt) in stalled)
        {
            var latest = await c.QueryFirstOrDefaultAsync<(string Type, string Properties)>(
                "SELECT type, properties FROM activities WHERE person_id = @personId AND type IN ('form_submitted', 'meeting_booked') " +
                "AND received_at >= @detectedAt ORDER BY id DESC LIMIT 1", new { personId, detectedAt }, tx);
            if (latest.Type is null) continue;
            var props = Json.Read(latest.Properties, new Dictionary<string, JsonElement>());
            string? Prop(string key) => props.TryGetValue(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var cause = latest.Type == "form_submitted"
                ? Prop("form") is { } form ? $"filled in the form '{form}'" : "filled in a form"
                : Prop("subject") is { } subject ? $"booked a meeting: {subject}" : "booked a meeting";
            await ReviveAsync(c, tx, personId, ReviveTypes[latest.Type], cause, createIfNone: false);
        }
    }

    public async Task OnStageChangedAsync(DbConnection c, DbTransaction tx, StageChanged e)
    {
        // Scoring moved a recycled lead back to MQL on its own: that is a revival too, stall record or not.
        if (e.From == Stage.Recycled && e.To == Stage.MQL && e.Actor != Revival)
            await ReviveAsync(c, tx, e.PersonId, "score", "scored back over the MQL line", createIfNone: true);
    }

    public async Task OnOwnerAssignedAsync(DbConnection c, DbTransaction tx, OwnerAssigned e)
    {
        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        // The rep routing just gave a revived lead to: theirs now, with the revived-lead SLA and the story.
        var revived = (await c.QueryAsync<StallRecordRow>(
            "SELECT * FROM stall_records WHERE person_id = @PersonId AND state = 'revived' AND revived_owner_id IS NULL AND revived_at >= @recent ORDER BY id",
            new { e.PersonId, recent = nowMs - 300_000 }, tx)).ToList();
        if (revived.Count == 0) return;
        await c.ExecuteAsync("UPDATE stall_records SET revived_owner_id = @ToUserId WHERE person_id = @PersonId AND state = 'revived' AND revived_owner_id IS NULL",
            e, tx);
        await NotifyAsync(c, tx, revived[0], e.PersonId, e.ToUserId, nowMs);
        var (_, set) = await StallRuleStore.CurrentAsync(c, tx);
        if (set.RevivedSlaPolicyId is not { } policyId) return;
        // The revived-lead policy may be inactive, so ordinary MQLs never match it: it is loaded by id.
        if (await SlaPolicyStore.FindAsync(c, tx, policyId) is not { } row || await SlaCalendars.FindAsync(c, tx, row.CalendarId) is not { } calendar) return;
        var policy = row.ToPolicy();
        await SlaClockStore.ReleaseAsync(c, tx, e.PersonId, "revived", nowMs);
        await SlaClockStore.StartAsync(c, tx, e.PersonId, policy, e.ToUserId, e.TeamId, SlaClockPlanner.Plan(policy, calendar.ToCalendar(), now));
    }

    private async Task ReviveAsync(DbConnection c, DbTransaction tx, long personId, string kind, string cause, bool createIfNone)
    {
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var person = await PersonStore.FindLiveAsync(c, tx, personId, forUpdate: true);
        if (person is null) return;
        var live = await StallRecords.LiveOfAsync(c, tx, personId);
        if (live.Count == 0)
        {
            if (!createIfNone) return;
            await RecordRecycledAsync(c, tx, person, nowMs);
            live = await StallRecords.LiveOfAsync(c, tx, personId);
        }
        var revived = await c.ExecuteAsync(
            "UPDATE stall_records SET state = 'revived', revived_at = @nowMs, revival_kind = @kind, revival_cause = @cause, claimed_by = NULL, claimed_until = NULL " +
            "WHERE person_id = @personId AND state IN ('open', 'acted')", new { nowMs, kind, cause, personId }, tx);
        if (revived == 0) return;
        var record = live[0];
        await ActivityStore.AppendAsync(c, tx, new NewActivity(personId, null, "stall_revived", nowMs, nowMs, ActivitySources.System,
            Json.Write(new { cause, kind, rule = record.RuleName, ruleKey = record.RuleKey, story = record.Story, stallId = record.Id })));

        if (person.ParsedStage == Stage.Recycled)
        {
            // Back to sales: the move raises StageChanged, routing picks the rep, OnOwnerAssigned tells them.
            await moveStage.MoveAsync(c, tx, person, new StageMove(Stage.MQL, Revival, nowMs, null,
                $"Revived: {cause}. Stalled under '{record.RuleName}': {record.Story}"));
            return;
        }
        if (person.OwnerId is { } owner)
        {
            await c.ExecuteAsync("UPDATE stall_records SET revived_owner_id = @owner WHERE person_id = @personId AND state = 'revived' AND revived_at = @nowMs",
                new { owner, personId, nowMs }, tx);
            // A lead just moved back to MQL by scoring gets its rep from routing next; the rep hears of it then.
            if (person.ParsedStage != Stage.MQL || kind != "score") await NotifyAsync(c, tx, record, personId, owner, nowMs, cause);
        }
    }

    /// <summary>A recycled lead that came back without a stall rule's record gets one, so the revival report counts it.</summary>
    private static async Task RecordRecycledAsync(DbConnection c, DbTransaction tx, PersonRow person, long nowMs)
    {
        var recycled = await c.QueryFirstOrDefaultAsync<(long ChangedAt, string? Reason)>(
            "SELECT changed_at, reason_code FROM stage_changes WHERE person_id = @Id AND to_stage = 'Recycled' ORDER BY id DESC LIMIT 1", person, tx);
        var since = recycled.ChangedAt == 0 ? person.StageChangedAt : recycled.ChangedAt;
        var story = $"Recycled {StallStory.Ago(DateTimeOffset.FromUnixTimeMilliseconds(since), DateTimeOffset.FromUnixTimeMilliseconds(nowMs))}" +
                    (recycled.Reason is { } r ? $" ({r})" : "");
        await c.ExecuteAsync(StallRecords.Insert, new
        {
            PersonId = person.Id, RuleKey = "recycled", RuleName = "Recycled lead", RulesVersion = (long?)null, Kind = "recycled", Stage = "Recycled",
            StalledSince = since, DetectedAt = nowMs, person.OwnerId, OwnerName = (string?)null, TeamId = person.OwnerTeamId, Source = person.FirstTouchChannel,
            LastTouchAt = (long?)null, LastLeadActivityAt = (long?)null, Story = story, State = StallState.Acted, AwaitingRevival = 1,
        }, tx);
    }

    private static async Task NotifyAsync(DbConnection c, DbTransaction tx, StallRecordRow record, long personId, long userId, long nowMs, string? cause = null)
    {
        var person = await PersonStore.FindAsync(c, tx, personId);
        await Outbox.AddAsync(c, tx, StallEvents.LeadRevived, personId, userId, new
        {
            stallId = record.Id, rule = record.RuleName, ruleKey = record.RuleKey, story = record.Story,
            cause = cause ?? await c.ExecuteScalarAsync<string?>("SELECT revival_cause FROM stall_records WHERE id = @Id", record, tx),
            person = person is null ? null : new { id = person.Id, email = person.Email, firstName = person.FirstName, lastName = person.LastName, company = person.Company, stage = person.Stage },
            ownerId = userId, at = DateTimeOffset.FromUnixTimeMilliseconds(nowMs),
        }, nowMs);
    }
}

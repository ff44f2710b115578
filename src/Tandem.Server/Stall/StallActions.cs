using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Stall;
using Tandem.Server.Lifecycle;
using Tandem.Server.Notifications;
using Tandem.Server.Nurture;
using Tandem.Server.People;
using Tandem.Server.Routing;
using Tandem.Server.Storage;

namespace Tandem.Server.Stall;

/// <summary>What one action did to one stalled lead, in words, for the record's log and the pages.</summary>
internal sealed record ActionDone(string Action, string Outcome);

/// <summary>
/// Carries out a rule's actions on new stall records, in the rule's order: remind the owner, notify the manager,
/// reassign through routing, enroll in the revival program, create a task, recycle with reason <c>stalled</c>. A batch
/// of open records is claimed and acted on in one transaction (PostgreSQL: SKIP LOCKED; the claim only takes records
/// still open), so two servers never act twice on one stall, and a failure rolls the claim back for the next pass.
/// Every stage move goes through <see cref="MoveStage"/> and every owner change through routing, with the rule named.
/// </summary>
internal sealed class StallActions(Consequences consequences, TimeProvider clock, StallOptions options, MoveStage moveStage, LeadRouter router,
    NurturePrograms programs, LifecycleSettings lifecycle)
{
    public const string StalledReason = "stalled";
    public const string NoResponseReason = "no-response";

    /// <summary>Acts on every open record, batch by batch; returns how many were acted on.</summary>
    public async Task<int> ActOnOpenAsync(CancellationToken ct = default)
    {
        int total = 0, n;
        do total += n = await consequences.WriteAsync((c, tx) => ActOnBatchAsync(c, tx, null), ct); while (n == options.Batch);
        return total;
    }

    /// <summary>Acts on chosen open records now (a manager's bulk action on the stalled-leads page or the API).</summary>
    public Task<int> ActOnAsync(IReadOnlyCollection<long> recordIds, CancellationToken ct = default) =>
        recordIds.Count == 0 ? Task.FromResult(0) : consequences.WriteAsync((c, tx) => ActOnBatchAsync(c, tx, recordIds.ToArray()), ct);

    /// <summary>
    /// One action chosen by a person on live stall records (the stalled-leads page's bulk actions): it runs as the record's
    /// rule would run it, is added to the record's log, and leaves the record acted on.
    /// </summary>
    /// <returns>How many records it ran on (records no longer live are skipped).</returns>
    public Task<int> RunAsync(IReadOnlyCollection<long> recordIds, StallAction action, long? programId, Actor by, CancellationToken ct = default) =>
        consequences.WriteAsync(async (c, tx) =>
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var count = 0;
            foreach (var id in recordIds.Distinct().Order())
            {
                var record = await StallRecords.FindAsync(c, tx, id);
                if (record is null || record.State is not (StallState.Open or StallState.Acted)) continue;
                var rule = (await c.QuerySingleOrDefaultAsync<StallRuleVersionRow>("SELECT * FROM stall_rule_versions WHERE version = @v",
                    new { v = record.RulesVersion ?? 0 }, tx))?.Parse().Find(record.RuleKey)
                    ?? new StallRule(record.RuleKey, record.RuleName, StallKind.RecycledFor, [], Tandem.Domain.Sla.SlaSegment.Everyone, 0, null, null, null, [], null,
                        null, 24, false);
                rule = rule with { Actions = [action], RevivalProgramId = programId ?? rule.RevivalProgramId };
                var done = await ActAsync(c, tx, record, rule, now, by);
                var log = Json.Read(record.ActionsLog, new List<ActionDone>());
                log.AddRange(done.Select(d => d with { Outcome = $"{d.Outcome} (by {by.Name})" }));
                await c.ExecuteAsync(
                    "UPDATE stall_records SET actions_log = @log, state = 'acted', acted_at = COALESCE(acted_at, @now), " +
                    "awaiting_revival = CASE WHEN @awaits = 1 THEN 1 ELSE awaiting_revival END WHERE id = @id",
                    new { log = Json.Write(log), now, awaits = rule.AwaitsRevival ? 1 : 0, id }, tx);
                await consequences.DispatchAsync(c, tx);
                count++;
            }
            return count;
        }, ct);

    /// <summary>Closes live records by hand ("not stalled: on holiday until Monday").</summary>
    public Task<int> CloseAsync(IReadOnlyCollection<long> recordIds, string reason, CancellationToken ct = default) =>
        consequences.WriteAsync(async (c, tx) =>
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var count = 0;
            foreach (var id in recordIds.Distinct()) count += await StallRecords.CloseAsync(c, tx, id, reason, now);
            return count;
        }, ct);

    private async Task<int> ActOnBatchAsync(DbConnection c, DbTransaction tx, long[]? only)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var dialect = SqlDialect.Of(c);
        var (idsIn, ids) = dialect.InIdList("id", "@ids", only ?? []);
        var claimed = (await c.QueryAsync<StallRecordRow>(
            "UPDATE stall_records SET state = 'acted', acted_at = @now WHERE state = 'open' AND id IN (" +
            $"SELECT id FROM stall_records WHERE state = 'open'{(only is null ? "" : " AND " + idsIn)} ORDER BY id LIMIT @batch{dialect.ForUpdateSkipLocked()}) " +
            "RETURNING *", new { now, batch = options.Batch, ids }, tx)).OrderBy(r => r.Id).ToList();
        if (claimed.Count == 0) return 0;
        var sets = new Dictionary<long, StallRuleSet>();
        foreach (var record in claimed)
        {
            var version = record.RulesVersion ?? 0;
            if (!sets.TryGetValue(version, out var set))
                sets[version] = set = (await c.QuerySingleOrDefaultAsync<StallRuleVersionRow>("SELECT * FROM stall_rule_versions WHERE version = @version",
                    new { version }, tx))?.Parse() ?? StallRuleSet.Empty;
            var rule = set.Find(record.RuleKey);
            var done = rule is null ? [new ActionDone("none", "the rule is gone")] : await ActAsync(c, tx, record, rule, now);
            await c.ExecuteAsync("UPDATE stall_records SET actions_log = @log WHERE id = @Id", new { log = Json.Write(done), record.Id }, tx);
            // Each record's consequences (a reassignment's clocks, a recycle's exits) land before the next record is acted on.
            await consequences.DispatchAsync(c, tx);
        }
        return claimed.Count;
    }

    private async Task<List<ActionDone>> ActAsync(DbConnection c, DbTransaction tx, StallRecordRow record, StallRule rule, long now, Actor? by = null)
    {
        var done = new List<ActionDone>();
        var actor = by ?? Actor.Rule($"stall:{rule.Key}", $"Stall rule '{rule.Name}'");
        foreach (var action in rule.Actions)
        {
            var person = await PersonStore.FindLiveAsync(c, tx, record.PersonId, forUpdate: true);
            if (person is null)
            {
                done.Add(new ActionDone(Name(action), "the person is gone (merged or deleted)"));
                break;
            }
            done.Add(new ActionDone(Name(action), action switch
            {
                StallAction.RemindOwner => await RemindOwnerAsync(c, tx, record, rule, person, now),
                StallAction.NotifyManager => await NotifyManagerAsync(c, tx, record, rule, person, now),
                StallAction.Reassign => await ReassignAsync(c, tx, record, rule, person, actor),
                StallAction.EnrollRevival => await EnrollAsync(c, tx, record, rule, person, now),
                StallAction.CreateTask => await CreateTaskAsync(c, tx, record, rule, person, now),
                StallAction.Recycle => await RecycleAsync(c, tx, record, rule, person, actor, now),
                _ => "unknown action",
            }));
        }
        return done;
    }

    private static string Name(StallAction a) => StallRuleParser.ActionNames.First(n => n.Value == a).Key;

    private static object Payload(StallRecordRow record, StallRule rule, PersonRow person, string audience, long now) => new
    {
        stallId = record.Id, rule = rule.Name, ruleKey = rule.Key, story = record.Story, audience,
        stalledSince = DateTimeOffset.FromUnixTimeMilliseconds(record.StalledSince),
        person = new { id = person.Id, email = person.Email, firstName = person.FirstName, lastName = person.LastName, company = person.Company, stage = person.Stage },
        ownerId = person.OwnerId, at = DateTimeOffset.FromUnixTimeMilliseconds(now),
    };

    private static async Task<string> RemindOwnerAsync(DbConnection c, DbTransaction tx, StallRecordRow record, StallRule rule, PersonRow person, long now)
    {
        if (person.OwnerId is not { } owner) return "nobody owns the lead: nobody to remind";
        await Outbox.AddAsync(c, tx, StallEvents.LeadStalled, person.Id, owner, Payload(record, rule, person, "owner", now), now);
        return $"reminded {await UserNameAsync(c, tx, owner)}";
    }

    private static async Task<string> NotifyManagerAsync(DbConnection c, DbTransaction tx, StallRecordRow record, StallRule rule, PersonRow person, long now)
    {
        var manager = await c.ExecuteScalarAsync<long?>("SELECT manager_user_id FROM teams WHERE id = @id", new { id = person.OwnerTeamId ?? record.TeamId }, tx);
        if (manager is not { } m) return "the lead's team has no manager to notify";
        await Outbox.AddAsync(c, tx, StallEvents.LeadStalled, person.Id, m, Payload(record, rule, person, "manager", now), now);
        return $"notified {await UserNameAsync(c, tx, m)} (manager)";
    }

    private async Task<string> ReassignAsync(DbConnection c, DbTransaction tx, StallRecordRow record, StallRule rule, PersonRow person, Actor actor)
    {
        var why = $"Stalled under '{rule.Name}'";
        var routed = person.OwnerId is { } owner
            ? await router.RouteAsync(c, tx, person.Id, LeadRouter.Triggers.Reassign, actor, owner, why)
            : await router.RouteAsync(c, tx, person.Id, LeadRouter.Triggers.Reassign, actor, why: why);
        if (routed?.UserId is not { } to)
            return routed is null ? "nobody else is eligible: the lead stays with its owner" : $"nobody is eligible: queued — {routed.Explanation}";
        await c.ExecuteAsync("UPDATE stall_records SET new_owner_id = @to WHERE id = @Id", new { to, record.Id }, tx);
        return $"reassigned to {await UserNameAsync(c, tx, to)}: {routed.Explanation}";
    }

    private async Task<string> EnrollAsync(DbConnection c, DbTransaction tx, StallRecordRow record, StallRule rule, PersonRow person, long now)
    {
        if (rule.RevivalProgramId is not { } programId || await NurturePrograms.FindAsync(c, tx, programId) is not { } program)
            return "the revival program does not exist";
        if (program.Status != ProgramStatus.Active || program.CurrentVersion is not { } version)
            return $"'{program.Name}' is not running (status {program.Status}): not enrolled";
        var definition = await programs.DefinitionAsync(c, tx, program.Id, version);
        var result = await Enrollments.EnrollPersonAsync(c, tx, program, definition, person.Id, $"stall:{rule.Key}", now);
        var enrollment = await c.QuerySingleOrDefaultAsync<(long Id, string Status)>(
            "SELECT id, status FROM nurture_enrollments WHERE program_id = @programId AND person_id = @personId", new { programId, personId = person.Id }, tx);
        if (result.Entered + result.HeldOut == 0)
            return enrollment.Id != 0 ? $"already went through '{program.Name}': not enrolled again" : $"could not enroll in '{program.Name}' (in another program of its kind)";
        await c.ExecuteAsync("UPDATE stall_records SET program_id = @programId, enrollment_id = @enrollment WHERE id = @Id",
            new { programId, enrollment = enrollment.Id, record.Id }, tx);
        return result.HeldOut > 0 ? $"enrolled in '{program.Name}' (held out as control)" : $"enrolled in '{program.Name}'";
    }

    private static async Task<string> CreateTaskAsync(DbConnection c, DbTransaction tx, StallRecordRow record, StallRule rule, PersonRow person, long now)
    {
        var name = string.Join(' ', new[] { person.FirstName, person.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        var title = rule.TaskTitle ?? $"Stalled ({rule.Name}): follow up with {(name.Length > 0 ? name : person.Email)}";
        await c.ExecuteAsync(
            "INSERT INTO tasks (person_id, owner_id, title, due_at, created_from, created_at) VALUES (@personId, @owner, @title, @due, @from, @now)",
            new { personId = person.Id, owner = person.OwnerId, title, due = now + rule.TaskDueInHours * 3_600_000L, from = $"stall:{record.Id}", now }, tx);
        return person.OwnerId is { } o ? $"task for {await UserNameAsync(c, tx, o)}: {title}" : $"unassigned task: {title}";
    }

    private async Task<string> RecycleAsync(DbConnection c, DbTransaction tx, StallRecordRow record, StallRule rule, PersonRow person, Actor actor, long now)
    {
        if (person.ParsedStage == Stage.Recycled) return "already recycled";
        var decision = await moveStage.MoveAsync(c, tx, person, new StageMove(Stage.Recycled, actor, now, StalledReason,
            $"Stall rule '{rule.Name}': {record.Story}", Reasons: WithStallReasons(lifecycle.ReasonCodes)));
        return decision.IsAllowed ? $"moved from {decision.From} to Recycled (reason {StalledReason})" : $"not recycled: {decision.Reason}";
    }

    /// <summary>The workspace's reason codes plus the two a stall records moves with, whatever the lists say.</summary>
    public static ReasonCodes WithStallReasons(ReasonCodes codes) => new(new Dictionary<Stage, IReadOnlyList<string>>
    {
        [Stage.Recycled] = [.. codes.For(Stage.Recycled).Append(StalledReason).Distinct()],
        [Stage.Disqualified] = [.. codes.For(Stage.Disqualified).Append(NoResponseReason).Distinct()],
    });

    private static async Task<string> UserNameAsync(DbConnection c, DbTransaction tx, long id) =>
        await c.ExecuteScalarAsync<string?>("SELECT name FROM users WHERE id = @id", new { id }, tx) ?? $"user {id}";
}

/// <summary>The notifications a stall raises.</summary>
internal static class StallEvents
{
    public const string LeadStalled = "lead.stalled";
    public const string LeadRevived = "lead.revived";
}

using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Routing;
using Tandem.Server.Notifications;
using Tandem.Server.People;

namespace Tandem.Server.Routing;

/// <summary>The stored result of routing one lead.</summary>
internal sealed record RoutedLead(long? DecisionId, RoutingOutcome Outcome, long? UserId, long? TeamId, string Explanation);

/// <summary>
/// Routes a lead inside the caller's transaction: match the rules, lock the team's rotation, choose a rep,
/// store the decision with its explanation and hand the lead over (or queue it). Used when a lead becomes an MQL,
/// on demand through the API, and by SLA breaches that reassign.
/// </summary>
internal sealed class LeadRouter(TimeProvider clock, AssignOwner assignOwner) : IReassignLeads
{
    public static class Triggers
    {
        public const string Mql = "mql";
        public const string OnDemand = "api";
        public const string Reassign = "reassign";
    }

    public async Task<RoutedLead?> RouteAsync(DbConnection c, DbTransaction tx, long personId, string trigger, Actor actor,
        long? excludeUserId = null, string? why = null)
    {
        var person = await PersonStore.FindAsync(c, tx, personId, forUpdate: true);
        if (person is null) return null;
        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var account = await LeadFactsReader.AccountAsync(c, tx, person.AccountId);
        var rules = (await RuleStore.ListAsync(c, tx, activeOnly: true)).Select(r => r.ToRule()).ToList();
        var match = RuleMatcher.FirstMatch(rules, LeadFactsReader.Build(person, account));

        // A reassignment keeps the lead in its current team when the rules no longer send it anywhere.
        if (match.Rule is null && excludeUserId is not null && person.OwnerTeamId is { } currentTeam)
            match = new RuleMatch(new RoutingRule(0, 0, "reassignment within the current team", [], currentTeam, DistributionMethod.RoundRobin, false), 0, []);

        RoutingDecision decision;
        var team = match.Rule is { } rule ? await TeamStore.FindAsync(c, tx, rule.TeamId) : null;
        if (match.Rule is null || team is null)
        {
            decision = Router.NoRuleMatched(match);
        }
        else
        {
            var before = await TeamStore.LockRotationAsync(c, tx, team.Id, nowMs, withCredits: match.Rule.Method == DistributionMethod.WeightedRoundRobin);
            var loaded = await TeamStore.LoadForRoutingAsync(c, tx, team, now);
            var (owner, accountName) = match.Rule.Method == DistributionMethod.AccountOwner
                ? (await AccountOwnerAsync(c, tx, person, account, now), account?.Name)
                : (null, null);
            decision = Router.Decide(match, new DistributionRequest(loaded, match.Rule.Method, match.Rule.RespectWorkingHours, now, before,
                owner, accountName, excludeUserId));
            if (decision.AdvancedRotation && decision.State is { } after) await TeamStore.SaveRotationAsync(c, tx, team.Id, before, after, nowMs);
        }

        if (excludeUserId is not null && decision.UserId is null) return null; // nobody else can take it: the lead stays, the caller escalates

        var explanation = why is null ? decision.Explanation : $"{why}; {decision.Explanation}";
        var decisionId = decision.UserId is { } userId
            ? await assignOwner.AssignAsync(c, tx, person, new OwnerChange(userId, team?.Id, trigger, explanation, actor, nowMs, decision))
            : await QueueAsync(c, tx, person, decision, team, trigger, explanation, actor, nowMs);
        return new RoutedLead(decisionId, decision.Outcome, decision.UserId, team?.Id, explanation);
    }

    /// <summary>Nobody can take the lead: it waits in the unassigned queue, and the team's manager (or anyone subscribed) is told.</summary>
    private static async Task<long> QueueAsync(DbConnection c, DbTransaction tx, PersonRow person, RoutingDecision decision, TeamRow? team,
        string trigger, string explanation, Actor actor, long now)
    {
        var decisionId = await Decisions.InsertAsync(c, tx, person.Id, person.OwnerId, now, trigger, decision.Outcome, decision.Rule, team?.Id, null,
            explanation, decision.Skipped, actor);
        await c.ExecuteAsync(
            "INSERT INTO routing_queue (person_id, team_id, decision_id, reason, queued_at) VALUES (@id, @teamId, @decisionId, @explanation, @now) " +
            "ON CONFLICT (person_id) DO UPDATE SET team_id = excluded.team_id, decision_id = excluded.decision_id, reason = excluded.reason, " +
            "queued_at = excluded.queued_at", new { id = person.Id, teamId = team?.Id, decisionId, explanation, now }, tx);
        await Outbox.AddAsync(c, tx, Outbox.LeadUnassigned, person.Id, team?.ManagerUserId,
            LeadPayload.Of(person, decisionId, explanation, team?.Id, team?.Name, now, owner: null), now);
        return decisionId;
    }

    public async Task<long?> ReassignAsync(DbConnection c, DbTransaction tx, long personId, long excludeUserId, string why, Actor actor) =>
        (await RouteAsync(c, tx, personId, Triggers.Reassign, actor, excludeUserId, why))?.UserId;

    /// <summary>The account's named owner, or else whoever most recently took another lead at the same account.</summary>
    private static async Task<Rep?> AccountOwnerAsync(DbConnection c, DbTransaction tx, PersonRow person, LeadFactsReader.AccountFacts? account, DateTimeOffset now)
    {
        if (account is null) return null;
        var ownerId = account.OwnerId ?? await c.QueryFirstOrDefaultAsync<long?>(
            "SELECT owner_id FROM people WHERE account_id = @accountId AND owner_id IS NOT NULL AND id <> @personId " +
            "ORDER BY owner_assigned_at DESC LIMIT 1", new { accountId = account.Id, personId = person.Id }, tx);
        return ownerId is { } id ? (await RepStore.LoadAsync(c, tx, [id], now)).FirstOrDefault() : null;
    }
}

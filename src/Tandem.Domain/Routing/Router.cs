namespace Tandem.Domain.Routing;

public enum RoutingOutcome { Assigned, Fallback, Unassigned }

/// <summary>A routing decision: who gets the lead (if anyone), the rotation afterwards, and the sentence that explains it.</summary>
public sealed record RoutingDecision(
    RoutingOutcome Outcome,
    RoutingRule? Rule,
    Team? Team,
    long? UserId,
    string? UserName,
    IReadOnlyList<SkippedRep> Skipped,
    RotationState? State,
    bool AdvancedRotation,
    string Explanation);

/// <summary>Puts rule matching and distribution together and words the result for "why did I get this lead".</summary>
public static class Router
{
    /// <summary>The decision when no rule matched: the lead waits in the unassigned queue, never silently dropped.</summary>
    public static RoutingDecision NoRuleMatched(RuleMatch match) =>
        new(RoutingOutcome.Unassigned, null, null, null, null, [], null, false,
            match.NotMatched.Count == 0
                ? "no routing rule is defined; queued as unassigned"
                : $"no rule matched: {string.Join("; ", match.NotMatched)}; queued as unassigned");

    public static RoutingDecision Decide(RuleMatch match, DistributionRequest request)
    {
        var rule = match.Rule ?? throw new ArgumentException("Decide needs a matched rule.", nameof(match));
        var result = Distributor.Distribute(request);
        var parts = new List<string> { match.Number > 0 ? $"rule {match.Number} '{rule.Name}' matched" : rule.Name, $"team {request.Team.Name}" };
        parts.AddRange(result.Steps);
        if (result.Skipped.Count > 0)
            parts.Add("skipped " + string.Join(", ", result.Skipped.Select(s => $"{s.Name} ({s.Reason})")));

        if (result.Chosen is { } chosen)
        {
            parts.Add($"chose {chosen.Name}");
            return new RoutingDecision(RoutingOutcome.Assigned, rule, request.Team, chosen.UserId, chosen.Name, result.Skipped,
                result.State, result.Advanced, string.Join("; ", parts));
        }

        var team = request.Team;
        if (team.FallbackUserId is { } fallback && team.FallbackActive && fallback != request.ExcludeUserId)
        {
            parts.Add($"nobody eligible; gave it to the team's fallback owner {team.FallbackName}");
            return new RoutingDecision(RoutingOutcome.Fallback, rule, team, fallback, team.FallbackName, result.Skipped, result.State, false,
                string.Join("; ", parts));
        }
        parts.Add(team.FallbackUserId is null
            ? "nobody eligible and the team has no fallback owner; queued as unassigned"
            : $"nobody eligible and the fallback owner {team.FallbackName} cannot take it; queued as unassigned");
        return new RoutingDecision(RoutingOutcome.Unassigned, rule, team, null, null, result.Skipped, result.State, false, string.Join("; ", parts));
    }
}

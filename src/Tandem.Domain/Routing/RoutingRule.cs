namespace Tandem.Domain.Routing;

public enum DistributionMethod { RoundRobin, WeightedRoundRobin, LeastLoaded, AccountOwner }

/// <summary>An ordered routing rule: when every condition holds (an empty list always holds), the lead goes to the team.</summary>
public sealed record RoutingRule(
    long Id,
    int Position,
    string Name,
    IReadOnlyList<Condition> Conditions,
    long TeamId,
    DistributionMethod Method,
    bool RespectWorkingHours);

/// <summary>Which rule took the lead, and why the rules before it did not.</summary>
public sealed record RuleMatch(RoutingRule? Rule, int Number, IReadOnlyList<string> NotMatched);

public static class RuleMatcher
{
    /// <summary>First match wins, in position order; each earlier rule says which condition failed.</summary>
    public static RuleMatch FirstMatch(IReadOnlyList<RoutingRule> rules, LeadFacts facts)
    {
        var notMatched = new List<string>();
        var number = 0;
        foreach (var rule in rules.OrderBy(r => r.Position).ThenBy(r => r.Id))
        {
            number++;
            var failed = rule.Conditions.FirstOrDefault(c => !c.Matches(facts));
            if (failed is null) return new RuleMatch(rule, number, notMatched);
            notMatched.Add($"rule {number} '{rule.Name}' did not match ({failed.Describe()})");
        }
        return new RuleMatch(null, 0, notMatched);
    }
}

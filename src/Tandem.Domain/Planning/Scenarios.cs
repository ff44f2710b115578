using System.Globalization;

namespace Tandem.Domain.Planning;

/// <summary>More budget for one channel, at what an MQL costs there (measured or entered).</summary>
public sealed record ExtraBudget(string Channel, decimal Amount, decimal CostPerMql);

/// <summary>The same plan with some inputs changed: rates scaled (1.1 = +10 %), a different target, or more budget for a channel.</summary>
public sealed record Scenario(string Name, IReadOnlyDictionary<string, double> RateFactors, decimal? RevenueTarget, ExtraBudget? Budget);

/// <param name="BudgetMqls">The MQLs the extra budget buys; null without one.</param>
/// <param name="BudgetDeals">The deals those MQLs make at the channel's rates; null without a budget or where a rate is unknown.</param>
public sealed record ScenarioOutcome(string Name, WorkedBackPlan Plan, double? BudgetMqls, double? BudgetDeals, decimal? BudgetRevenue, string Words);

public static class Scenarios
{
    public static IReadOnlyList<(string Field, string Reason)> Problems(Scenario s, PlanInputs plan, int index)
    {
        var f = $"scenarios[{index}]";
        var problems = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(s.Name)) problems.Add(($"{f}.name", "A name is required, e.g. \"+10% MQL→SAL\"."));
        foreach (var (rate, factor) in s.RateFactors)
        {
            if (!PlanSteps.RateNames.Contains(rate)) problems.Add(($"{f}.rateFactors.{rate}", $"Not a rate; use one of {string.Join(", ", PlanSteps.RateNames)}."));
            else if (factor is not (> 0 and <= 100)) problems.Add(($"{f}.rateFactors.{rate}", "A factor is more than 0 (1.1 = +10 %)."));
        }
        if (s.RevenueTarget is <= 0) problems.Add(($"{f}.revenueTarget", "Must be more than 0."));
        if (s.Budget is { } b)
        {
            if (!plan.Mix.Any(c => string.Equals(c.Channel, b.Channel, StringComparison.OrdinalIgnoreCase)))
                problems.Add(($"{f}.budget.channel", $"'{b.Channel}' is not in the plan's channel mix."));
            if (b.Amount <= 0) problems.Add(($"{f}.budget.amount", "Must be more than 0."));
            if (b.CostPerMql <= 0) problems.Add(($"{f}.budget.costPerMql", "Must be more than 0."));
        }
        return problems;
    }

    /// <summary>The plan worked back under the scenario's changes, and what an extra budget buys carried forward to deals.</summary>
    public static ScenarioOutcome Of(PlanInputs plan, Scenario s)
    {
        var changed = plan with
        {
            RevenueTarget = s.RevenueTarget ?? plan.RevenueTarget,
            Rates = plan.Rates.Scaled(s.RateFactors),
            Channels = plan.Channels.Select(c => c with { Rates = c.Rates.Over(plan.Rates).Scaled(s.RateFactors) }).ToList(),
        };
        var worked = WorkBack.Of(changed);
        var words = new List<string>();
        foreach (var (rate, factor) in s.RateFactors)
            words.Add($"{PlanSteps.RateLabel((PlanStep)(PlanSteps.RateNames.ToList().IndexOf(rate) + 1))} {(factor >= 1 ? "+" : "")}{((factor - 1) * 100).ToString("0.#", Inv)} %");
        if (s.RevenueTarget is { } t) words.Add($"target {t.ToString("#,0", Inv)}");
        if (s.Budget is not { } b) return new ScenarioOutcome(s.Name, worked, null, null, null, Describe(words, worked));

        var mqls = (double)(b.Amount / b.CostPerMql);
        var channel = worked.Channels.First(c => string.Equals(c.Channel, b.Channel, StringComparison.OrdinalIgnoreCase));
        double? deals = mqls;
        for (var step = PlanStep.SAL; step <= PlanStep.Deal && deals is not null; step++)
            deals = channel.Rates.Into(step) is { } r ? deals * r : null;
        decimal? revenue = deals is { } d ? (decimal)d * plan.AverageDealSize : null;
        words.Add($"{b.Amount.ToString("#,0", Inv)} more on {b.Channel} at {b.CostPerMql.ToString("#,0.##", Inv)} an MQL buys {mqls.ToString("#,0", Inv)} MQLs" +
                  (deals is { } dd ? $", which at its rates make {dd.ToString("0.#", Inv)} deals ({revenue!.Value.ToString("#,0", Inv)})" : ", whose deals cannot be worked out: a rate is unknown"));
        return new ScenarioOutcome(s.Name, worked, mqls, deals, revenue, Describe(words, worked));
    }

    private static string Describe(List<string> changes, WorkedBackPlan worked) =>
        (changes.Count == 0 ? "No change." : string.Join("; ", changes) + ".") +
        (worked.Total[PlanStep.MQL] is { } m ? $" Needs {WorkBack.Whole(m).ToString("#,0", Inv)} MQLs." : " The MQLs cannot be worked back.");

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
}

namespace Tandem.Domain.Planning;

/// <summary>One channel's part of the plan: its share of marketing's deals and its own rates (unknown ones fall back to the plan's).</summary>
public sealed record ChannelMix(string Channel, double Share, FunnelRates Rates);

/// <summary>What a plan is worked back from.</summary>
/// <param name="MarketingShare">The share of the revenue target marketing's leads are to bring (0.6 = 60 %).</param>
/// <param name="Channels">The channel mix; empty means one mix of everything at the plan's rates.</param>
public sealed record PlanInputs(PlanPeriod Period, decimal RevenueTarget, double MarketingShare, decimal AverageDealSize, FunnelRates Rates,
    IReadOnlyList<ChannelMix> Channels)
{
    public const string AllChannels = "All channels";

    /// <summary>The mix the plan is worked back over: the channels given, or all of them at once.</summary>
    public IReadOnlyList<ChannelMix> Mix => Channels.Count > 0 ? Channels : [new ChannelMix(AllChannels, 1.0, FunnelRates.Unknown)];

    /// <summary>Each input that cannot be planned with, by field name (as the API names them), with the reason.</summary>
    public IReadOnlyList<(string Field, string Reason)> Problems()
    {
        var problems = new List<(string, string)>();
        if (Period.Problem() is { } p) problems.Add(("start", p));
        if (RevenueTarget <= 0) problems.Add(("revenueTarget", "Must be more than 0."));
        if (MarketingShare is not (> 0 and <= 1)) problems.Add(("marketingShare", "Must be more than 0 and at most 1 (1 = 100 %)."));
        if (AverageDealSize <= 0) problems.Add(("averageDealSize", "Must be more than 0."));
        foreach (var n in PlanSteps.RateNames)
            if (Rates[n] is { } r && r is not (>= 0 and <= 1)) problems.Add(($"rates.{n}", "A rate is a share from 0 to 1 (0.25 = 25 %)."));
        for (var i = 0; i < Channels.Count; i++)
        {
            var ch = Channels[i];
            if (string.IsNullOrWhiteSpace(ch.Channel)) problems.Add(($"channels[{i}].channel", "A channel name is required."));
            else if (Channels.Take(i).Any(o => string.Equals(o.Channel, ch.Channel, StringComparison.OrdinalIgnoreCase)))
                problems.Add(($"channels[{i}].channel", $"'{ch.Channel}' is already in the mix."));
            if (ch.Share is not (>= 0 and <= 1)) problems.Add(($"channels[{i}].share", "Must be from 0 to 1 (0.4 = 40 %)."));
            foreach (var n in PlanSteps.RateNames)
                if (ch.Rates[n] is { } r && r is not (>= 0 and <= 1)) problems.Add(($"channels[{i}].rates.{n}", "A rate is a share from 0 to 1 (0.25 = 25 %)."));
        }
        if (Channels.Count > 0 && Math.Abs(Channels.Sum(c => c.Share) - 1.0) > 0.001)
            problems.Add(("channels", $"The channels' shares must add up to 1 (100 %); they add up to {Channels.Sum(c => c.Share):0.###}."));
        return problems;
    }
}

/// <summary>The number each row needs, per step; null where the row cannot be worked back.</summary>
public sealed record MonthNeeds(DateOnly Month, IReadOnlyDictionary<PlanStep, double?> Needed);

/// <param name="CannotWorkBack">Why the rows above some step have no figure (a rate that is zero or unknown); null when every row has one.</param>
public sealed record ChannelPlan(string Channel, double Share, FunnelRates Rates, IReadOnlyDictionary<PlanStep, double?> Needed, string? CannotWorkBack,
    IReadOnlyList<MonthNeeds> Months);

/// <param name="Total">Each row over all channels; null where any channel cannot be worked back that far.</param>
public sealed record WorkedBackPlan(decimal MarketingRevenue, IReadOnlyList<ChannelPlan> Channels, IReadOnlyDictionary<PlanStep, double?> Total,
    IReadOnlyList<MonthNeeds> Months);

/// <summary>
/// The reverse funnel: from the revenue marketing is to bring, the deals it takes at the average deal size, and from
/// each row the row above it divided by the rate between them — per channel (its share of the deals, its own rates)
/// and per month (each month's share of the period's days). Figures stay fractional; <see cref="Whole"/> rounds up.
/// </summary>
public static class WorkBack
{
    public static WorkedBackPlan Of(PlanInputs plan)
    {
        var revenue = plan.RevenueTarget * (decimal)plan.MarketingShare;
        var deals = (double)(revenue / plan.AverageDealSize);
        var months = plan.Period.Months();

        var channels = plan.Mix.Select(ch =>
        {
            var rates = ch.Rates.Over(plan.Rates);
            var (needed, problem) = Rows(deals * ch.Share, rates);
            return new ChannelPlan(ch.Channel, ch.Share, rates, needed, problem, Split(needed, months));
        }).ToList();

        var total = PlanSteps.All.ToDictionary(s => s, s => channels.All(c => c.Needed[s] is not null) ? channels.Sum(c => c.Needed[s]) : null);
        return new WorkedBackPlan(revenue, channels, total, Split(total, months));
    }

    /// <summary>Every row from <paramref name="deals"/> up, stopping (with the reason) at the first rate that is zero or unknown.</summary>
    public static (IReadOnlyDictionary<PlanStep, double?> Needed, string? CannotWorkBack) Rows(double deals, FunnelRates rates)
    {
        var needed = PlanSteps.All.ToDictionary(s => s, _ => (double?)null);
        needed[PlanStep.Deal] = deals;
        for (var step = PlanStep.Deal; step > PlanStep.Visit; step--)
        {
            var rate = rates.Into(step);
            if (rate is not > 0)
            {
                var why = rate is null ? "is not known (no history and none entered)" : "is 0 %";
                return (needed, $"Cannot be worked back above {PlanSteps.Plural(step)}: the {PlanSteps.RateLabel(step)} rate {why}.");
            }
            needed[step - 1] = needed[step] / rate.Value;
        }
        return (needed, null);
    }

    /// <summary>A fractional need as the whole number it takes: 10.2 MQLs take 11 (a hair over a whole number is float noise, not a need).</summary>
    public static long Whole(double needed) => (long)Math.Ceiling(needed - 1e-9);

    private static IReadOnlyList<MonthNeeds> Split(IReadOnlyDictionary<PlanStep, double?> needed, IReadOnlyList<(DateOnly Month, double Share)> months) =>
        months.Select(m => new MonthNeeds(m.Month, needed.ToDictionary(n => n.Key, n => n.Value * m.Share))).ToList();
}

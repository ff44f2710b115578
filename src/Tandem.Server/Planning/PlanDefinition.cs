using System.Globalization;
using Tandem.Domain.Planning;
using Tandem.Server.Hosting;

namespace Tandem.Server.Planning;

/// <summary>Where a rate comes from: the workspace's history over the measure window, a number typed by hand, or (for a channel) the plan's.</summary>
internal static class RateSources
{
    public const string Measured = "measured";
    public const string Hand = "hand";
    public const string Plan = "plan";
}

/// <param name="Source">measured (default for the plan's rates), hand (with a value), or for a channel plan (its default: the plan's rate).</param>
/// <param name="Value">A share from 0 to 1 (0.25 = 25 %), for a rate entered by hand.</param>
internal sealed record RateInput(string? Source, double? Value);

internal sealed record ChannelInput(string? Channel, double? Share, Dictionary<string, RateInput>? Rates);

internal sealed record BudgetInput(string? Channel, decimal? Amount, decimal? CostPerMql);

/// <param name="RateFactors">Rates multiplied by a factor, e.g. {"mqlToSal": 1.1} for +10 %.</param>
internal sealed record ScenarioInput(string? Name, Dictionary<string, double>? RateFactors, decimal? RevenueTarget, BudgetInput? Budget);

/// <param name="TeamId">The team whose reps work the plan's MQLs.</param>
/// <param name="HoursPerRepPerWeek">Hours each of its reps gives to working new leads in a week.</param>
/// <param name="MinutesPerAttempt">What one attempt (a call, an email) takes.</param>
internal sealed record CapacityInput(long? TeamId, double? HoursPerRepPerWeek, double? MinutesPerAttempt);

/// <summary>
/// A plan as the API takes it and as it is stored (the definition column): the period, the target and what it is
/// worked back with. A rate left out is measured; a channel's rate left out is the plan's.
/// </summary>
/// <param name="Period">month, quarter or year.</param>
/// <param name="Start">The period's first day (yyyy-MM-dd): a month's first; a quarter's 1 Jan/Apr/Jul/Oct; a year's 1 January.</param>
/// <param name="MeasureDays">How many days of history, up to today, measured rates are read from (default 180).</param>
internal sealed record PlanRequest(string? Name, string? Period, string? Start, decimal? RevenueTarget, double? MarketingShare, decimal? AverageDealSize,
    Dictionary<string, RateInput>? Rates, int? MeasureDays, List<ChannelInput>? Channels, List<ScenarioInput>? Scenarios, CapacityInput? Capacity, bool? Active)
{
    public const int DefaultMeasureDays = 180;

    public static readonly IReadOnlyDictionary<string, PeriodKind> Periods = new Dictionary<string, PeriodKind>
    {
        ["month"] = PeriodKind.Month, ["quarter"] = PeriodKind.Quarter, ["year"] = PeriodKind.Year,
    };

    public PlanPeriod PlanPeriod => new(Periods[Period!], DateOnly.ParseExact(Start!, "yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>The plan's inputs with <paramref name="measured"/> supplying the rates that are measured (overall under "", per channel by name).</summary>
    public PlanInputs Inputs(Func<string?, string, double?> measured) => new(PlanPeriod, RevenueTarget!.Value, MarketingShare!.Value, AverageDealSize!.Value,
        Resolve(Rates, null, measured, RateSources.Measured),
        (Channels ?? []).Select(c => new ChannelMix(c.Channel!, c.Share!.Value, Resolve(c.Rates, c.Channel, measured, RateSources.Plan))).ToList());

    public IReadOnlyList<Scenario> ScenarioList => (Scenarios ?? []).Select(s => new Scenario(s.Name ?? "", s.RateFactors ?? [], s.RevenueTarget,
        s.Budget is { } b ? new ExtraBudget(b.Channel ?? "", b.Amount ?? 0, b.CostPerMql ?? 0) : null)).ToList();

    /// <summary>The source a rate is taken from: as given, else measured for the plan and the plan's for a channel.</summary>
    public static string SourceOf(Dictionary<string, RateInput>? rates, string name, string fallback) =>
        rates?.GetValueOrDefault(name)?.Source?.Trim().ToLowerInvariant() is { Length: > 0 } s ? s : fallback;

    private static FunnelRates Resolve(Dictionary<string, RateInput>? rates, string? channel, Func<string?, string, double?> measured, string fallback) =>
        FunnelRates.FromNames(PlanSteps.RateNames.ToDictionary(n => n, n => SourceOf(rates, n, fallback) switch
        {
            RateSources.Hand => rates![n].Value,
            RateSources.Measured => measured(channel, n),
            _ => null,
        }));

    /// <summary>Checks every field and, when all are usable, returns the request tidied for storing (channels folded, names trimmed).</summary>
    public PlanRequest? Validate(Validation v)
    {
        if (string.IsNullOrWhiteSpace(Name)) v.Add("name", "A name is required, e.g. \"Q4 2026\".");
        else if (Name.Trim().Length > 200) v.Add("name", "Must be at most 200 characters.");
        var period = Period?.Trim().ToLowerInvariant();
        if (period is null || !Periods.ContainsKey(period)) v.Add("period", "Use month, quarter or year.");
        if (Start is null || !DateOnly.TryParseExact(Start.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            v.Add("start", "Required: the period's first day as yyyy-MM-dd, e.g. 2026-10-01.");
        if (RevenueTarget is null) v.Add("revenueTarget", "Required: the revenue the period is to bring, e.g. 1000000.");
        if (MarketingShare is null) v.Add("marketingShare", "Required: marketing's share of the target, from 0 to 1 (0.6 = 60 %).");
        if (AverageDealSize is null) v.Add("averageDealSize", "Required: the average deal's revenue, e.g. 20000.");
        if (MeasureDays is not null and not (>= 7 and <= 1096)) v.Add("measureDays", "Use 7 to 1096 days of history.");
        CheckRates(v, "rates", Rates, [RateSources.Measured, RateSources.Hand]);
        var channels = Channels ?? [];
        for (var i = 0; i < channels.Count; i++)
        {
            if (channels[i].Share is null) v.Add($"channels[{i}].share", "Required: the channel's share of the deals, from 0 to 1.");
            CheckRates(v, $"channels[{i}].rates", channels[i].Rates, [RateSources.Plan, RateSources.Measured, RateSources.Hand]);
        }
        if (Capacity is { } cap)
        {
            if (cap.HoursPerRepPerWeek is not null and not (> 0 and <= 168)) v.Add("capacity.hoursPerRepPerWeek", "Use more than 0 and at most 168 hours.");
            if (cap.MinutesPerAttempt is not null and not (> 0 and <= 600)) v.Add("capacity.minutesPerAttempt", "Use more than 0 and at most 600 minutes.");
        }
        if (!v.IsValid) return null;

        var tidy = this with
        {
            Name = Name!.Trim(), Period = period, Start = Start!.Trim(), MeasureDays = MeasureDays ?? DefaultMeasureDays,
            Channels = channels.Select(c => c with { Channel = string.IsNullOrWhiteSpace(c.Channel) ? c.Channel : Tandem.Domain.Capture.Channels.Fold(c.Channel) }).ToList(),
            Scenarios = (Scenarios ?? []).Select(s => s with { Name = s.Name?.Trim(), Budget = s.Budget is { Channel: { } bc } b ? b with { Channel = Tandem.Domain.Capture.Channels.Fold(bc) } : s.Budget }).ToList(),
            Capacity = new CapacityInput(Capacity?.TeamId, Capacity?.HoursPerRepPerWeek ?? 30, Capacity?.MinutesPerAttempt ?? 10),
            Active = Active ?? true,
        };
        // The arithmetic's own checks, with every measured rate standing in as unknown (their values are read, not given).
        var inputs = tidy.Inputs((_, _) => null);
        foreach (var (field, reason) in inputs.Problems()) v.Add(field, reason);
        var scenarios = tidy.ScenarioList;
        for (var i = 0; i < scenarios.Count; i++)
            foreach (var (field, reason) in Tandem.Domain.Planning.Scenarios.Problems(scenarios[i], inputs, i)) v.Add(field, reason);
        return v.IsValid ? tidy : null;
    }

    private static void CheckRates(Validation v, string field, Dictionary<string, RateInput>? rates, string[] sources)
    {
        foreach (var (name, rate) in rates ?? [])
        {
            if (!PlanSteps.RateNames.Contains(name)) { v.Add($"{field}.{name}", $"Not a rate; use {string.Join(", ", PlanSteps.RateNames)}."); continue; }
            var source = SourceOf(rates, name, sources[0]);
            if (!sources.Contains(source)) v.Add($"{field}.{name}.source", $"Use {string.Join(", ", sources)}.");
            else if (source == RateSources.Hand && rate.Value is not (>= 0 and <= 1))
                v.Add($"{field}.{name}.value", "A rate entered by hand is a share from 0 to 1 (0.25 = 25 %).");
        }
    }
}

using System.Globalization;
using Tandem.Domain.Planning;
using Tandem.Server.Planning;

namespace Tandem.Server.Web.Planning;

/// <summary>A channel row of the plan form: the name and its share of the deals in percent.</summary>
internal sealed class PlanChannelForm
{
    public string? Channel { get; set; }
    public string? SharePercent { get; set; }
}

/// <summary>A rate on the plan form: measured, or entered by hand in percent.</summary>
internal sealed class PlanRateForm
{
    public string Source { get; set; } = RateSources.Measured;
    public string? Percent { get; set; }
}

/// <summary>A scenario row: one rate changed by a percentage, and/or more budget for a channel at a cost per MQL.</summary>
internal sealed class PlanScenarioForm
{
    public string? Name { get; set; }
    public string? Rate { get; set; }
    public string? ChangePercent { get; set; }
    public string? BudgetChannel { get; set; }
    public string? BudgetAmount { get; set; }
    public string? CostPerMql { get; set; }
}

/// <summary>
/// The /plan/edit form in the units people type (percent, whole money), turned into the API's <see cref="PlanRequest"/>,
/// so the page is refused for exactly the reasons the API gives. A number that cannot be read goes through as unreadable
/// so its field is named.
/// </summary>
internal sealed class PlanForm
{
    public const int ChannelRows = 6;
    public const int ScenarioRows = 3;

    public string? Name { get; set; }
    public string Period { get; set; } = "quarter";
    public string? Start { get; set; }
    public string? RevenueTarget { get; set; }
    public string? MarketingSharePercent { get; set; }
    public string? AverageDealSize { get; set; }
    public string? MeasureDays { get; set; } = PlanRequest.DefaultMeasureDays.ToString(CultureInfo.InvariantCulture);
    public Dictionary<string, PlanRateForm> Rates { get; set; } = PlanSteps.RateNames.ToDictionary(n => n, _ => new PlanRateForm());
    public List<PlanChannelForm> Channels { get; set; } = [];
    public List<PlanScenarioForm> Scenarios { get; set; } = [];
    public string? TeamId { get; set; }
    public string? HoursPerRepPerWeek { get; set; } = "30";
    public string? MinutesPerAttempt { get; set; } = "10";
    public bool Active { get; set; } = true;

    /// <summary>Fields the form could not read as numbers, by the API's field name.</summary>
    public Dictionary<string, string> Unreadable { get; } = [];

    public PlanRequest ToRequest()
    {
        var rates = PlanSteps.RateNames.ToDictionary(n => n, n =>
        {
            var r = Rates.GetValueOrDefault(n) ?? new PlanRateForm();
            return new RateInput(r.Source, r.Source == RateSources.Hand ? Share($"rates.{n}.value", r.Percent) : null);
        });
        var channels = Channels.Where(c => !string.IsNullOrWhiteSpace(c.Channel) || !string.IsNullOrWhiteSpace(c.SharePercent))
            .Select((c, i) => new ChannelInput(c.Channel, Share($"channels[{i}].share", c.SharePercent), null)).ToList();
        var scenarios = Scenarios.Where(s => !string.IsNullOrWhiteSpace(s.Name)).Select((s, i) =>
        {
            Dictionary<string, double> factors = [];
            if (!string.IsNullOrWhiteSpace(s.Rate) && Number($"scenarios[{i}].rateFactors", s.ChangePercent) is { } change)
                factors[s.Rate] = 1 + (double)change / 100;
            BudgetInput? budget = string.IsNullOrWhiteSpace(s.BudgetChannel) ? null
                : new BudgetInput(s.BudgetChannel, Number($"scenarios[{i}].budget.amount", s.BudgetAmount), Number($"scenarios[{i}].budget.costPerMql", s.CostPerMql));
            return new ScenarioInput(s.Name, factors, null, budget);
        }).ToList();
        return new PlanRequest(Name, Period, Start, Number("revenueTarget", RevenueTarget), Share("marketingShare", MarketingSharePercent),
            Number("averageDealSize", AverageDealSize), rates, (int?)Number("measureDays", MeasureDays), channels, scenarios,
            new CapacityInput((long?)Number("capacity.teamId", TeamId), (double?)Number("capacity.hoursPerRepPerWeek", HoursPerRepPerWeek),
                (double?)Number("capacity.minutesPerAttempt", MinutesPerAttempt)), Active);
    }

    public static PlanForm From(PlanRequest r)
    {
        static string? Text(decimal? d) => d?.ToString("0.####", CultureInfo.InvariantCulture);
        static string? Pct(double? d) => d is { } x ? (x * 100).ToString("0.####", CultureInfo.InvariantCulture) : null;
        var form = new PlanForm
        {
            Name = r.Name, Period = r.Period ?? "quarter", Start = r.Start, RevenueTarget = Text(r.RevenueTarget), MarketingSharePercent = Pct(r.MarketingShare),
            AverageDealSize = Text(r.AverageDealSize), MeasureDays = r.MeasureDays?.ToString(CultureInfo.InvariantCulture),
            Rates = PlanSteps.RateNames.ToDictionary(n => n, n => new PlanRateForm
            {
                Source = PlanRequest.SourceOf(r.Rates, n, RateSources.Measured), Percent = Pct(r.Rates?.GetValueOrDefault(n)?.Value),
            }),
            Channels = (r.Channels ?? []).Select(c => new PlanChannelForm { Channel = c.Channel, SharePercent = Pct(c.Share) }).ToList(),
            Scenarios = (r.Scenarios ?? []).Select(s => new PlanScenarioForm
            {
                Name = s.Name, Rate = s.RateFactors?.Keys.FirstOrDefault(),
                ChangePercent = s.RateFactors?.Values.FirstOrDefault() is { } f and not 0 ? ((f - 1) * 100).ToString("0.##", CultureInfo.InvariantCulture) : null,
                BudgetChannel = s.Budget?.Channel, BudgetAmount = Text(s.Budget?.Amount), CostPerMql = Text(s.Budget?.CostPerMql),
            }).ToList(),
            TeamId = r.Capacity?.TeamId?.ToString(CultureInfo.InvariantCulture),
            HoursPerRepPerWeek = r.Capacity?.HoursPerRepPerWeek?.ToString("0.##", CultureInfo.InvariantCulture),
            MinutesPerAttempt = r.Capacity?.MinutesPerAttempt?.ToString("0.##", CultureInfo.InvariantCulture),
            Active = r.Active ?? true,
        };
        return form.Padded();
    }

    /// <summary>Empty channel and scenario rows to type into, up to the form's fixed number.</summary>
    public PlanForm Padded()
    {
        while (Channels.Count < ChannelRows) Channels.Add(new PlanChannelForm());
        while (Scenarios.Count < ScenarioRows) Scenarios.Add(new PlanScenarioForm());
        return this;
    }

    private decimal? Number(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (decimal.TryParse(text.Replace(",", "").Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d)) return d;
        Unreadable[field] = "Must be a number, e.g. 1250000.";
        return null;
    }

    private double? Share(string field, string? percent) => Number(field, percent) is { } p ? (double)p / 100 : null;
}

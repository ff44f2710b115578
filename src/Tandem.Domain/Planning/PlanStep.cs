namespace Tandem.Domain.Planning;

/// <summary>The rows of a plan, from the top of the funnel to the bottom: a plan is worked back from Deal up to Visit.</summary>
public enum PlanStep { Visit, Lead, MQL, SAL, SQL, Opportunity, Deal }

/// <summary>The six conversions between neighbouring rows, each named after the pair it converts.</summary>
public static class PlanSteps
{
    public static readonly IReadOnlyList<PlanStep> All = Enum.GetValues<PlanStep>();

    /// <summary>The rate names, in funnel order; rate i converts step i into step i + 1.</summary>
    public static readonly IReadOnlyList<string> RateNames = ["visitToLead", "leadToMql", "mqlToSal", "salToSql", "sqlToOpportunity", "opportunityToDeal"];

    /// <summary>How a row reads in the web app and in sentences: "MQLs", "opportunities"…</summary>
    public static string Plural(PlanStep step) => step switch
    {
        PlanStep.Visit => "visits",
        PlanStep.Lead => "leads",
        PlanStep.Opportunity => "opportunities",
        PlanStep.Deal => "deals",
        _ => step + "s",
    };

    /// <summary>"MQL→SAL": the conversion into <paramref name="to"/> from the row above it.</summary>
    public static string RateLabel(PlanStep to) => $"{Singular(to - 1)}→{Singular(to)}";

    public static string Singular(PlanStep step) => step switch
    {
        PlanStep.Visit => "visit",
        PlanStep.Lead => "lead",
        PlanStep.Opportunity => "opportunity",
        PlanStep.Deal => "deal",
        _ => step.ToString(),
    };

    /// <summary>The name of the rate that converts the row above into <paramref name="to"/> (to must not be Visit).</summary>
    public static string RateInto(PlanStep to) => RateNames[(int)to - 1];
}

/// <summary>
/// Conversion rates between neighbouring rows, as shares (0.25 = 25 %). A rate is null where it is not known — no
/// history and nothing entered — which makes the rows above it impossible to work back rather than zero or infinite.
/// </summary>
public sealed record FunnelRates(double? VisitToLead, double? LeadToMql, double? MqlToSal, double? SalToSql, double? SqlToOpportunity, double? OpportunityToDeal)
{
    public static readonly FunnelRates Unknown = new(null, null, null, null, null, null);

    /// <summary>The rate converting the row above into <paramref name="to"/>.</summary>
    public double? Into(PlanStep to) => to switch
    {
        PlanStep.Lead => VisitToLead,
        PlanStep.MQL => LeadToMql,
        PlanStep.SAL => MqlToSal,
        PlanStep.SQL => SalToSql,
        PlanStep.Opportunity => SqlToOpportunity,
        PlanStep.Deal => OpportunityToDeal,
        _ => throw new ArgumentOutOfRangeException(nameof(to), "Nothing converts into a visit."),
    };

    /// <summary>The rate by its name (visitToLead…), as plans store and the API speaks them.</summary>
    public double? this[string name] => Into((PlanStep)(PlanSteps.RateNames.ToList().IndexOf(name) + 1));

    public static FunnelRates FromNames(IReadOnlyDictionary<string, double?> rates)
    {
        double? R(string n) => rates.TryGetValue(n, out var r) ? r : null;
        return new FunnelRates(R("visitToLead"), R("leadToMql"), R("mqlToSal"), R("salToSql"), R("sqlToOpportunity"), R("opportunityToDeal"));
    }

    public IReadOnlyDictionary<string, double?> ToNames() =>
        PlanSteps.RateNames.ToDictionary(n => n, n => this[n]);

    /// <summary>These rates where known, <paramref name="fallback"/>'s where not: a channel's own rates over the plan's.</summary>
    public FunnelRates Over(FunnelRates fallback) => new(VisitToLead ?? fallback.VisitToLead, LeadToMql ?? fallback.LeadToMql, MqlToSal ?? fallback.MqlToSal,
        SalToSql ?? fallback.SalToSql, SqlToOpportunity ?? fallback.SqlToOpportunity, OpportunityToDeal ?? fallback.OpportunityToDeal);

    /// <summary>Every rate multiplied by its factor (1.1 = +10 %), capped at 100 %: a scenario's "what if MQL→SAL were 10 % better".</summary>
    public FunnelRates Scaled(IReadOnlyDictionary<string, double> factors)
    {
        double? S(string n) => this[n] is { } r ? Math.Min(1.0, r * factors.GetValueOrDefault(n, 1.0)) : null;
        return new FunnelRates(S("visitToLead"), S("leadToMql"), S("mqlToSal"), S("salToSql"), S("sqlToOpportunity"), S("opportunityToDeal"));
    }
}

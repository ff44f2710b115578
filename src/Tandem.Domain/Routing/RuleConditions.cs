using System.Globalization;

namespace Tandem.Domain.Routing;

/// <summary>
/// The facts a rule can test about a lead, by field name: person fields ("country", "title", "custom.plan"),
/// account fields ("account.name", "account.industry"), "grade", "persona" (several values), "fitScore",
/// "engagementScore", "source.firstChannel", "source.lastChannel", "source.utmSource", "emailDomain".
/// </summary>
public sealed class LeadFacts(IReadOnlyDictionary<string, IReadOnlyList<string>> values)
{
    public IReadOnlyList<string> this[string field] =>
        values.TryGetValue(field, out var list) ? list : [];

    public static LeadFacts From(IEnumerable<KeyValuePair<string, string?>> single, IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? multi = null)
    {
        var d = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in single)
            if (!string.IsNullOrWhiteSpace(v)) d[k] = [v.Trim()];
        foreach (var (k, v) in multi ?? [])
            if (v.Count > 0) d[k] = v;
        return new LeadFacts(d);
    }
}

public enum ConditionOperator { Equals, NotEquals, In, NotIn, Contains, StartsWith, Exists, NotExists, GreaterOrEqual, LessOrEqual }

/// <summary>One test of a rule: "country in [DE, FR]", "grade in [A, B]", "persona equals CTO", "fitScore &gt;= 70".</summary>
public sealed record Condition(string Field, ConditionOperator Operator, IReadOnlyList<string> Values)
{
    public static readonly IReadOnlyList<string> FixedFields =
    [
        "email", "emailDomain", "firstName", "lastName", "company", "title", "phone", "website", "country", "region", "city",
        "industry", "companySize", "stage", "grade", "persona", "fitScore", "engagementScore", "scoreCell",
        "source.firstChannel", "source.lastChannel", "source.utmSource", "source.firstUtmSource", "source.campaign",
        "account.name", "account.domain", "account.industry",
    ];

    public static bool IsKnownField(string field) =>
        FixedFields.Contains(field, StringComparer.OrdinalIgnoreCase) || (field.StartsWith("custom.", StringComparison.OrdinalIgnoreCase) && field.Length > 7);

    /// <summary>Text comparisons ignore case and surrounding space: "emea" equals "EMEA ".</summary>
    public bool Matches(LeadFacts facts)
    {
        var actual = facts[Field];
        return Operator switch
        {
            ConditionOperator.Exists => actual.Count > 0,
            ConditionOperator.NotExists => actual.Count == 0,
            ConditionOperator.Equals or ConditionOperator.In => actual.Any(a => Values.Any(v => Same(a, v))),
            ConditionOperator.NotEquals or ConditionOperator.NotIn => !actual.Any(a => Values.Any(v => Same(a, v))),
            ConditionOperator.Contains => actual.Any(a => Values.Any(v => a.Contains(v.Trim(), StringComparison.OrdinalIgnoreCase))),
            ConditionOperator.StartsWith => actual.Any(a => Values.Any(v => a.StartsWith(v.Trim(), StringComparison.OrdinalIgnoreCase))),
            ConditionOperator.GreaterOrEqual => Numbers(actual).Any(a => a >= Threshold()),
            ConditionOperator.LessOrEqual => Numbers(actual).Any(a => a <= Threshold()),
            _ => false,
        };
    }

    /// <summary>Null when the condition is well-formed; otherwise what is wrong with it.</summary>
    public string? Problem()
    {
        if (!IsKnownField(Field)) return $"'{Field}' is not a field rules can test; use one of {string.Join(", ", FixedFields)} or custom.NAME.";
        if (Operator is ConditionOperator.Exists or ConditionOperator.NotExists) return null;
        if (Values.Count == 0 || Values.Any(string.IsNullOrWhiteSpace)) return $"'{Operator}' needs at least one non-empty value.";
        if (Operator is ConditionOperator.GreaterOrEqual or ConditionOperator.LessOrEqual && (Values.Count != 1 || !TryNumber(Values[0], out _)))
            return $"'{Operator}' needs exactly one number.";
        return null;
    }

    public string Describe() => Operator switch
    {
        ConditionOperator.Exists => $"{Field} is set",
        ConditionOperator.NotExists => $"{Field} is empty",
        ConditionOperator.In or ConditionOperator.NotIn => $"{Field} {(Operator == ConditionOperator.In ? "in" : "not in")} [{string.Join(", ", Values)}]",
        ConditionOperator.GreaterOrEqual => $"{Field} >= {Values[0]}",
        ConditionOperator.LessOrEqual => $"{Field} <= {Values[0]}",
        _ => $"{Field} {Operator.ToString().ToLowerInvariant()} {string.Join(" or ", Values)}",
    };

    private double Threshold() => TryNumber(Values[0], out var n) ? n : double.NaN;

    private static IEnumerable<double> Numbers(IEnumerable<string> values) =>
        values.Select(v => TryNumber(v, out var n) ? n : double.NaN).Where(n => !double.IsNaN(n));

    private static bool TryNumber(string s, out double n) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out n);

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}

using Tandem.Domain.Routing;

namespace Tandem.Server.Web.Settings;

/// <summary>How routing settings read on screen: conditions as sentences, methods and working hours as people say them.</summary>
internal static class RoutingWords
{
    /// <summary>The operators a rule form offers, with their wording, in the API's names.</summary>
    public static readonly IReadOnlyList<(string Name, string Words)> Operators =
    [
        ("equals", "equals"), ("notEquals", "does not equal"), ("in", "in"), ("notIn", "not in"), ("contains", "contains"),
        ("startsWith", "starts with"), ("exists", "is set"), ("notExists", "is empty"), ("gte", "is at least"), ("lte", "is at most"),
    ];

    public static readonly IReadOnlyList<(string Name, string Label)> Methods =
    [
        ("roundRobin", "Round robin"), ("weightedRoundRobin", "Weighted"), ("leastLoaded", "Least loaded"), ("accountOwner", "Account owner first"),
    ];

    private static readonly Dictionary<string, string> FieldLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["emailDomain"] = "email domain", ["firstName"] = "first name", ["lastName"] = "last name", ["companySize"] = "company size",
        ["grade"] = "fit grade", ["fitScore"] = "fit score", ["engagementScore"] = "engagement score", ["scoreCell"] = "score cell",
        ["source.firstChannel"] = "first-touch channel", ["source.lastChannel"] = "last-touch channel", ["source.utmSource"] = "UTM source",
        ["source.firstUtmSource"] = "first UTM source", ["source.campaign"] = "campaign", ["account.name"] = "account name",
        ["account.domain"] = "account domain", ["account.industry"] = "account industry",
    };

    /// <summary>The fields a rule form offers: those routing understands (custom fields are typed as custom.NAME).</summary>
    public static IReadOnlyList<string> Fields => Condition.FixedFields;

    public static string FieldLabel(string field) =>
        FieldLabels.TryGetValue(field, out var label) ? label
        : field.StartsWith("custom.", StringComparison.OrdinalIgnoreCase) ? $"custom field {field[7..]}"
        : field;

    public static string OperatorWords(string op) =>
        Operators.FirstOrDefault(o => string.Equals(o.Name, op, StringComparison.OrdinalIgnoreCase)).Words ?? op;

    public static string MethodLabel(string method) =>
        Methods.FirstOrDefault(m => string.Equals(m.Name, method, StringComparison.OrdinalIgnoreCase)).Label ?? method;

    /// <summary>"country in DE, FR", "fit grade equals A or B", "title is set", "fit score is at least 70".</summary>
    public static string Describe(string field, string op, IReadOnlyList<string> values)
    {
        var subject = FieldLabel(field);
        return op.ToLowerInvariant() switch
        {
            "exists" or "notexists" => $"{subject} {OperatorWords(op)}",
            "in" or "notin" => $"{subject} {OperatorWords(op)} {string.Join(", ", values)}",
            _ => $"{subject} {OperatorWords(op)} {string.Join(" or ", values)}",
        };
    }

    /// <summary>All conditions of a rule joined by "and"; a rule without conditions matches every lead.</summary>
    public static string DescribeAll(IEnumerable<(string Field, string Operator, IReadOnlyList<string> Values)> conditions)
    {
        var parts = conditions.Select(c => Describe(c.Field, c.Operator, c.Values)).ToList();
        return parts.Count == 0 ? "Every lead" : string.Join(" and ", parts);
    }

    /// <summary>"Mon–Fri 09:00-17:00; Sat 10:00-14:00": consecutive days with the same hours are shown as one span. Null is any time.</summary>
    public static string Hours(IReadOnlyDictionary<string, string[]>? spec)
    {
        if (spec is null || spec.Count == 0) return "Any time";
        var days = WorkingHours.DayNames.Select(d => spec.TryGetValue(d, out var r) && r.Length > 0 ? string.Join(", ", r) : null).ToList();
        var spans = new List<string>();
        for (var i = 0; i < days.Count; i++)
        {
            if (days[i] is not { } hours) continue;
            var end = i;
            while (end + 1 < days.Count && days[end + 1] == hours) end++;
            spans.Add($"{Day(i)}{(end > i ? "–" + Day(end) : "")} {hours}");
            i = end;
        }
        return string.Join("; ", spans);
    }

    /// <summary>
    /// Whether a rep with this reason (<see cref="Eligibility.WhyNot"/>, working hours respected) takes leads now under some
    /// rule: only "outside working hours" still lets rules that ignore working hours route to them.
    /// </summary>
    public static bool TakesLeadsNow(Routing.RepEndpoints.RepDto rep) =>
        rep.UnavailableBecause is null
        || (rep.UnavailableBecause == OutsideWorkingHours && !(rep.OpenLeads >= rep.Capacity) && !(rep.AssignedToday >= rep.DailyQuota));

    public const string OutsideWorkingHours = "outside working hours";

    private static string Day(int index) => char.ToUpperInvariant(WorkingHours.DayNames[index][0]) + WorkingHours.DayNames[index][1..];
}

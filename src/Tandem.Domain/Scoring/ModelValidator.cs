using System.Text.RegularExpressions;

namespace Tandem.Domain.Scoring;

/// <summary>Checks a model before it can be published; each problem names where it is ("engagement[2].halfLifeDays").</summary>
public static partial class ModelValidator
{
    public sealed record Problem(string Path, string Message);

    public static IReadOnlyList<Problem> Validate(ScoringModel model)
    {
        var problems = new List<Problem>();
        void Add(string path, string message) => problems.Add(new Problem(path, message));

        if (string.IsNullOrWhiteSpace(model.Name)) Add("name", "A model needs a name.");
        var before = problems.Count;
        // Lists given as JSON null are reported, not dereferenced.
        foreach (var (list, path) in new (object?, string)[] { (model.Personas, "personas"), (model.Fit, "fit"), (model.Engagement, "engagement"),
                     (model.EngagementBands, "engagementBands"), (model.Mql, "mql"), (model.Grades, "grades"), (model.Mql?.Any, "mql.any") })
            if (list is null) Add(path, "Must not be null.");
        if (problems.Count > before) return problems;
        var g = model.Grades;
        if (!(g.A > g.B && g.B > g.C)) Add("grades", "Thresholds must fall from A to C (A > B > C).");
        if (model.EngagementScale <= 0) Add("engagementScale", "Must be more than 0.");
        var bands = model.EngagementBands;
        if (bands.Count == 0 || bands.Any(b => b is < 0 or > 100) || bands.Zip(bands.Skip(1)).Any(p => p.First <= p.Second))
            Add("engagementBands", "Give 1 to 9 thresholds between 0 and 100, highest first, e.g. [75, 50, 25].");

        var personaNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < model.Personas.Count; i++)
        {
            var p = model.Personas[i];
            if (string.IsNullOrWhiteSpace(p.Name)) Add($"personas[{i}].name", "A persona needs a name.");
            else if (!personaNames.Add(p.Name)) Add($"personas[{i}].name", $"Persona '{p.Name}' is defined twice.");
            if (p.When.Count == 0) Add($"personas[{i}].when", "A persona needs at least one condition.");
            Conditions(p.When, $"personas[{i}].when", allowPersona: false, personaNames, Add);
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < model.Fit.Count; i++)
        {
            var r = model.Fit[i];
            Rule(r.Id, r.Name, r.When, $"fit[{i}]", ids, Add);
            if (r.Points == 0) Add($"fit[{i}].points", "A rule must give or take points.");
            Conditions(r.When, $"fit[{i}].when", allowPersona: true, personaNames, Add);
        }
        for (var i = 0; i < model.Engagement.Count; i++)
        {
            var r = model.Engagement[i];
            Rule(r.Id, r.Name, r.When, $"engagement[{i}]", ids, Add, needsConditions: false);
            if (r.Type is null && r.Types.Count == 0 && r.When.Count == 0) Add($"engagement[{i}].type", "Give an activity type or at least one condition.");
            if (r.Points == 0) Add($"engagement[{i}].points", "A rule must give or take points.");
            if (r.HalfLifeDays is <= 0) Add($"engagement[{i}].halfLifeDays", "Must be more than 0 days (leave it out for no decay).");
            if (r.CapPerDay is < 1) Add($"engagement[{i}].capPerDay", "Must be at least 1 (leave it out for no cap).");
            if (r.CapLifetime is < 1) Add($"engagement[{i}].capLifetime", "Must be at least 1 (leave it out for no cap).");
            Conditions(r.When, $"engagement[{i}].when", allowPersona: false, personaNames, Add);
        }

        // Null lists were reported (and returned) above.
        if (model.Mql!.Any.Count == 0) Add("mql.any", "The MQL definition needs at least one clause.");
        for (var i = 0; i < model.Mql.Any.Count; i++)
        {
            var c = model.Mql.Any[i];
            if (c.MinGrade is null && c.MinEngagement is null && c.Cells.Count == 0)
                Add($"mql.any[{i}]", "A clause needs minGrade, minEngagement or cells.");
            if (c.MinGrade is { } grade && !GradePattern().IsMatch(grade)) Add($"mql.any[{i}].minGrade", "Must be A, B, C or D.");
            if (c.MinEngagement is < 0 or > 100) Add($"mql.any[{i}].minEngagement", "Must be between 0 and 100.");
            foreach (var cell in c.Cells)
                if (!CellPattern().IsMatch(cell) || cell[1] - '0' > bands.Count + 1)
                    Add($"mql.any[{i}].cells", $"'{cell}' is not a cell of the matrix (A1 … D{bands.Count + 1}).");
        }
        return problems;
    }

    private static void Rule(string id, string name, IReadOnlyList<Condition> when, string path, HashSet<string> ids,
        Action<string, string> add, bool needsConditions = true)
    {
        if (string.IsNullOrWhiteSpace(id)) add($"{path}.id", "A rule needs an id.");
        else if (!ids.Add(id)) add($"{path}.id", $"Rule id '{id}' is used twice.");
        if (string.IsNullOrWhiteSpace(name)) add($"{path}.name", "A rule needs a name.");
        if (needsConditions && when.Count == 0) add($"{path}.when", "A rule needs at least one condition.");
    }

    private static void Conditions(IReadOnlyList<Condition> conditions, string path, bool allowPersona, HashSet<string> personas,
        Action<string, string> add)
    {
        for (var i = 0; i < conditions.Count; i++)
        {
            var c = conditions[i];
            var at = $"{path}[{i}]";
            if (!Condition.Operators.Contains(c.Op)) { add($"{at}.op", $"Must be one of: {string.Join(", ", Condition.Operators)}."); continue; }
            if (c.Op != "persona" && string.IsNullOrWhiteSpace(c.Field)) add($"{at}.field", "Name the field to test.");
            switch (c.Op)
            {
                case "equals" or "contains" when c.Value is null && c.Values.Count == 0: add($"{at}.value", "Give the value to compare with."); break;
                case "in" when c.Values.Count == 0: add($"{at}.values", "Give the list of values."); break;
                case "range" when c.Min is null && c.Max is null: add($"{at}.min", "Give min, max or both."); break;
                case "regex":
                    try { _ = Condition.RegexFor(c.Value ?? throw new ArgumentException("missing")); }
                    catch (ArgumentException e) { add($"{at}.value", $"Not a valid regular expression: {e.Message}"); }
                    catch (NotSupportedException) { add($"{at}.value", "Backreferences, lookarounds and atomic groups are not supported: Tandem runs patterns on a linear-time engine."); }
                    break;
                case "persona" when !allowPersona: add($"{at}.op", "Persona conditions are for fit rules only."); break;
                case "persona" when c.Value is null || !personas.Contains(c.Value): add($"{at}.value", $"No persona named '{c.Value}'."); break;
            }
        }
    }

    [GeneratedRegex("^[ABCD]$")]
    private static partial Regex GradePattern();

    [GeneratedRegex("^[ABCD][1-9]$")]
    private static partial Regex CellPattern();
}

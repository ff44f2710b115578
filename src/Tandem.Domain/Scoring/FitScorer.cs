namespace Tandem.Domain.Scoring;

/// <summary>One fit rule that held for a person, and what it gave.</summary>
public sealed record FitPoint(string RuleId, string RuleName, int Points, string Because);

public sealed record FitResult(int Score, string Grade, IReadOnlyList<string> Personas, IReadOnlyList<FitPoint> Points);

/// <summary>Scores who someone is: personas first (fit rules may ask for one), then every fit rule that holds.</summary>
public static class FitScorer
{
    public static FitResult Score(ScoringModel model, IFieldSource person, bool explain = true)
    {
        var personas = new List<string>(2);
        foreach (var p in model.Personas)
            if (p.When.Count > 0 && AllHold(p.When, person)) personas.Add(p.Name);
        var withPersonas = new WithPersonas(person, personas);
        var points = new List<FitPoint>();
        var total = 0;
        foreach (var rule in model.Fit)
        {
            if (rule.When.Count == 0 || !AllHold(rule.When, withPersonas)) continue;
            total += rule.Points;
            // The readable "because" is only built when someone will read it.
            points.Add(new FitPoint(rule.Id, rule.Name, rule.Points, explain ? string.Join(" and ", rule.When) : ""));
        }
        return new FitResult(total, model.Grades.GradeFor(total), personas, points);
    }

    private static bool AllHold(IReadOnlyList<Condition> conditions, IFieldSource source)
    {
        for (var i = 0; i < conditions.Count; i++)
            if (!conditions[i].Holds(source)) return false;
        return true;
    }

    private sealed class WithPersonas(IFieldSource inner, List<string> personas) : IFieldSource
    {
        public string? Get(string field) => inner.Get(field);
        public bool HasPersona(string persona)
        {
            foreach (var p in personas)
                if (string.Equals(p, persona, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }
    }
}

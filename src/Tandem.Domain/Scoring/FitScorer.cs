namespace Tandem.Domain.Scoring;

/// <summary>One fit rule that held for a person, and what it gave.</summary>
public sealed record FitPoint(string RuleId, string RuleName, int Points, string Because);

public sealed record FitResult(int Score, string Grade, IReadOnlyList<string> Personas, IReadOnlyList<FitPoint> Points);

/// <summary>Scores who someone is: personas first (fit rules may ask for one), then every fit rule that holds.</summary>
public static class FitScorer
{
    public static FitResult Score(ScoringModel model, IFieldSource person)
    {
        var personas = model.Personas.Where(p => p.When.Count > 0 && p.When.All(c => c.Holds(person))).Select(p => p.Name).ToList();
        var withPersonas = new WithPersonas(person, personas);
        var points = new List<FitPoint>();
        var total = 0;
        foreach (var rule in model.Fit)
        {
            if (rule.When.Count == 0 || !rule.When.All(c => c.Holds(withPersonas))) continue;
            total += rule.Points;
            points.Add(new FitPoint(rule.Id, rule.Name, rule.Points, string.Join(" and ", rule.When)));
        }
        return new FitResult(total, model.Grades.GradeFor(total), personas, points);
    }

    private sealed class WithPersonas(IFieldSource inner, List<string> personas) : IFieldSource
    {
        public string? Get(string field) => inner.Get(field);
        public bool HasPersona(string persona) => personas.Contains(persona, StringComparer.OrdinalIgnoreCase);
    }
}

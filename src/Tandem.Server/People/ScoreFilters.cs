using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Tandem.Server.Hosting;

namespace Tandem.Server.People;

/// <summary>List filters over the current scores: grade, matrix cell, persona, MQL status, minimum engagement.</summary>
public static partial class ScoreFilters
{
    public static void Apply(ListPeople.Query query, StringBuilder sql, DynamicParameters args, Validation v)
    {
        if (query.Grade is not null)
        {
            var grades = List(query.Grade).Select(g => g.ToUpperInvariant()).ToList();
            foreach (var bad in grades.Where(g => g is not ("A" or "B" or "C" or "D"))) v.Add("grade", $"'{bad}' is not a grade; use A, B, C or D.");
            sql.Append(" AND (").Append(string.Join(" OR ", grades.Select((_, i) => $"p.fit_grade = @grade{i}"))).Append(')');
            for (var i = 0; i < grades.Count; i++) args.Add($"grade{i}", grades[i]);
        }
        if (query.Cell is not null)
        {
            var cells = List(query.Cell).Select(g => g.ToUpperInvariant()).ToList();
            foreach (var bad in cells.Where(c => !CellPattern().IsMatch(c))) v.Add("cell", $"'{bad}' is not a cell of the grade × engagement matrix (A1 … D4).");
            sql.Append(" AND (").Append(string.Join(" OR ", cells.Select((_, i) => $"p.score_cell = @cell{i}"))).Append(')');
            for (var i = 0; i < cells.Count; i++) args.Add($"cell{i}", cells[i]);
        }
        if (!string.IsNullOrWhiteSpace(query.Persona))
        {
            // personas holds a JSON array of names; match the name as a whole JSON string.
            var needle = JsonSerializer.Serialize(query.Persona.Trim()).Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
            sql.Append(" AND p.personas LIKE @persona ESCAPE '\\'");
            args.Add("persona", "%" + needle + "%");
        }
        if (query.MeetsMql is { } meets) { sql.Append(" AND p.meets_mql = @meets"); args.Add("meets", meets ? 1 : 0); }
        if (query.MinEngagement is { } min)
        {
            if (min is < 0 or > 100) v.Add("minEngagement", "Must be between 0 and 100.");
            sql.Append(" AND p.engagement_score >= @minEngagement"); args.Add("minEngagement", min);
        }
    }

    private static List<string> List(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    [GeneratedRegex("^[ABCD][1-9]$")]
    private static partial Regex CellPattern();
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Tandem.Domain.Scoring;
using Tandem.Server.Storage;

namespace Tandem.Server.Web.Scoring;

/// <summary>
/// A scoring model as edited on the scoring page: the model as JSON without its MQL definition, plus the MQL
/// definition as form rows (min grade, min engagement, cells). Reading a draft gives the model, or every problem
/// by its path ("fit[0].points", "mql.any[1].minEngagement") with the MQL paths pointing at the rows on the form.
/// </summary>
internal static class ScoringDraft
{
    public sealed class ClauseInput
    {
        public string? MinGrade { get; set; }
        public string? MinEngagement { get; set; }
        public string? Cells { get; set; }

        public bool IsBlank => string.IsNullOrWhiteSpace(MinGrade) && string.IsNullOrWhiteSpace(MinEngagement) && string.IsNullOrWhiteSpace(Cells);

        public static ClauseInput From(MqlClause c) => new()
        {
            MinGrade = c.MinGrade, MinEngagement = c.MinEngagement?.ToString(), Cells = string.Join(", ", c.Cells),
        };
    }

    private static readonly JsonSerializerOptions Indented = new(Json.Options) { WriteIndented = true };

    /// <summary>The model's JSON for the editor, without "mql" (the MQL rows on the form hold it).</summary>
    public static string EditableJson(ScoringModel model)
    {
        var node = JsonSerializer.SerializeToNode(model, Json.Options)!.AsObject();
        node.Remove("mql");
        return node.ToJsonString(Indented);
    }

    /// <summary>The whole model on one line (it travels in a hidden field from the preview to Publish).</summary>
    public static string FullJson(ScoringModel model) => Json.Write(model);

    /// <summary>The form rows of a model's MQL definition, plus one empty row to add a clause.</summary>
    public static List<ClauseInput> Rows(ScoringModel model) => [.. model.Mql.Any.Select(ClauseInput.From), new ClauseInput()];

    /// <summary>Reads the editor's JSON and the MQL rows into a model; null with the problems by path when it is not valid.</summary>
    public static (ScoringModel? Model, Dictionary<string, List<string>> Problems) Read(string? json, IReadOnlyList<ClauseInput> rows)
    {
        var problems = new Dictionary<string, List<string>>();
        void Add(string path, string message)
        {
            if (!problems.TryGetValue(path, out var list)) problems[path] = list = [];
            list.Add(message);
        }

        var model = Parse(json, Add);
        // Blank rows are left out; a clause's path names its row on the form, not its place in the definition.
        var used = rows.Select((r, i) => (Row: r, Index: i)).Where(x => !x.Row.IsBlank).ToList();
        var clauses = new List<MqlClause>();
        foreach (var (row, i) in used)
        {
            int? engagement = null;
            if (!string.IsNullOrWhiteSpace(row.MinEngagement))
            {
                if (int.TryParse(row.MinEngagement.Trim(), out var e)) engagement = e;
                else Add($"mql.any[{i}].minEngagement", "Must be a whole number between 0 and 100.");
            }
            var cells = (row.Cells ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(c => c.ToUpperInvariant()).Distinct().ToList();
            clauses.Add(new MqlClause
            {
                MinGrade = string.IsNullOrWhiteSpace(row.MinGrade) ? null : row.MinGrade.Trim().ToUpperInvariant(),
                MinEngagement = engagement, Cells = cells,
            });
        }
        if (model is null) return (null, problems);
        model = model with { Mql = new MqlDefinition { Any = clauses } };
        foreach (var p in ModelValidator.Validate(model)) Add(ToRowPath(p.Path, used.Select(u => u.Index).ToList()), p.Message);
        return problems.Count > 0 ? (null, problems) : (model, problems);
    }

    /// <summary>Reads a whole model (the one a preview showed, with its MQL definition) for publishing.</summary>
    public static (ScoringModel? Model, Dictionary<string, List<string>> Problems) ReadFull(string? json)
    {
        var problems = new Dictionary<string, List<string>>();
        var model = Parse(json, (path, message) => problems[path] = [message]);
        if (model is null) return (null, problems);
        foreach (var g in ModelValidator.Validate(model).GroupBy(p => p.Path)) problems[g.Key] = g.Select(p => p.Message).ToList();
        return problems.Count > 0 ? (null, problems) : (model, problems);
    }

    private static ScoringModel? Parse(string? json, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(json)) { add("model", "The model is empty."); return null; }
        try
        {
            var model = JsonSerializer.Deserialize<ScoringModel>(json, Json.Options);
            if (model is null) add("model", "The model is empty.");
            return model;
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}{(e.Path is { Length: > 1 } p ? $", at {p}" : "")})" : "";
            add("model", $"Not valid JSON{where}: {e.Message.Split(". Path:")[0].TrimEnd('.')}.");
            return null;
        }
    }

    private static string ToRowPath(string path, List<int> rowOfClause)
    {
        const string prefix = "mql.any[";
        if (!path.StartsWith(prefix, StringComparison.Ordinal)) return path;
        var end = path.IndexOf(']', prefix.Length);
        if (end < 0 || !int.TryParse(path[prefix.Length..end], out var clause) || clause >= rowOfClause.Count) return path;
        return $"{prefix}{rowOfClause[clause]}{path[end..]}";
    }
}

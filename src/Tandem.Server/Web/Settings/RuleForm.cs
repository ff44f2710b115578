using System.Text.RegularExpressions;
using Tandem.Server.Routing;

namespace Tandem.Server.Web.Settings;

/// <summary>
/// A routing rule as its edit form holds it: conditions as rows of field, operator and comma-separated values, blank
/// rows included so one more condition can be added without script. Turns into the API's <see cref="RuleEndpoints.RuleInput"/>.
/// </summary>
internal sealed partial class RuleForm
{
    public const int BlankRows = 3;

    public sealed class ConditionRow
    {
        public string? Field { get; set; }
        public string? Operator { get; set; }
        public string? Values { get; set; }

        public bool IsBlank => string.IsNullOrWhiteSpace(Field) && string.IsNullOrWhiteSpace(Operator) && string.IsNullOrWhiteSpace(Values);
    }

    public string? Name { get; set; }
    public long? TeamId { get; set; }
    public string? Method { get; set; } = "roundRobin";
    public bool RespectWorkingHours { get; set; }
    public bool Active { get; set; } = true;
    public int? Position { get; set; }
    public List<ConditionRow> Conditions { get; set; } = [];

    public static RuleForm From(RuleEndpoints.RuleDto rule) => new()
    {
        Name = rule.Name, TeamId = rule.TeamId, Method = rule.Method, RespectWorkingHours = rule.RespectWorkingHours, Active = rule.Active,
        Position = rule.Position,
        Conditions = rule.Conditions.Select(c => new ConditionRow { Field = c.Field, Operator = c.Operator, Values = string.Join(", ", c.Values) }).ToList(),
    };

    /// <summary>The rows to show: every filled row as typed, then <see cref="BlankRows"/> empty ones.</summary>
    public RuleForm WithBlankRows()
    {
        Conditions = [.. Conditions.Where(r => !r.IsBlank), .. Enumerable.Range(0, BlankRows).Select(_ => new ConditionRow())];
        return this;
    }

    /// <summary>
    /// The API input, leaving out blank rows. <c>rowOf[i]</c> is the form row that became condition i, so the API's
    /// errors ("conditions[1].operator") can be shown beside the row the user typed them in.
    /// </summary>
    public (RuleEndpoints.RuleInput Input, IReadOnlyList<int> RowOf) ToInput()
    {
        var rowOf = new List<int>();
        var conditions = new List<RuleEndpoints.ConditionInput>();
        for (var row = 0; row < Conditions.Count; row++)
        {
            var r = Conditions[row];
            if (r is null || r.IsBlank) continue;
            rowOf.Add(row);
            var values = (r.Values ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
            conditions.Add(new RuleEndpoints.ConditionInput(Blank(r.Field), Blank(r.Operator), values, null));
        }
        return (new RuleEndpoints.RuleInput(Name, Position, conditions, TeamId, Blank(Method), RespectWorkingHours, Active), rowOf);
    }

    /// <summary>Re-keys "conditions[i]…" errors from the API's condition index to the form's row index.</summary>
    public static FormOutcome ForRows(FormOutcome outcome, IReadOnlyList<int> rowOf)
    {
        if (outcome.Succeeded) return outcome;
        var errors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, message) in outcome.Errors)
        {
            var m = ConditionKey().Match(key);
            var mapped = m.Success && int.TryParse(m.Groups[1].Value, out var i) && i < rowOf.Count ? $"conditions[{rowOf[i]}]{m.Groups[2].Value}" : key;
            errors[mapped] = errors.TryGetValue(mapped, out var before) ? $"{before} {message}" : message;
        }
        return outcome with { Errors = errors };
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    [GeneratedRegex(@"^conditions\[(\d+)\](.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex ConditionKey();
}

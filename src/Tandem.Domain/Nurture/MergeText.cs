using System.Text.RegularExpressions;

namespace Tandem.Domain.Nurture;

/// <summary>
/// Merge fields in plain text (a task title, a notification): {{firstName}}, {{company | default: "their company"}},
/// {{custom.plan}}. An unknown or empty field becomes its default, or nothing.
/// </summary>
public static partial class MergeText
{
    public static string Apply(string template, IReadOnlyDictionary<string, string?> fields) =>
        Field().Replace(template, m =>
        {
            var value = fields.GetValueOrDefault(m.Groups[1].Value);
            return string.IsNullOrWhiteSpace(value) ? m.Groups[2].Success ? m.Groups[2].Value : "" : value.Trim();
        });

    [GeneratedRegex("\\{\\{\\s*([A-Za-z][A-Za-z0-9_.]*)\\s*(?:\\|\\s*default:\\s*\"([^\"]*)\"\\s*)?\\}\\}")]
    private static partial Regex Field();
}

using System.Text;
using System.Text.RegularExpressions;

namespace Tandem.Domain.Email;

/// <summary>What a template's merge fields read for one person: their own fields, their owner's, and their custom fields.</summary>
public sealed record MergeData(
    string? FirstName,
    string? LastName,
    string? Email,
    string? Company,
    string? Title,
    string? OwnerName,
    string? OwnerEmail,
    string? OwnerSignature,
    IReadOnlyDictionary<string, string?> Custom)
{
    public static readonly MergeData Empty = new(null, null, null, null, null, null, null, null, new Dictionary<string, string?>());
}

/// <summary>A merge field a template may not use, named, with the reason.</summary>
public sealed record MergeFieldError(string Field, string Reason);

/// <summary>
/// Merge fields: <c>{{firstName}}</c>, <c>{{firstName | default: "there"}}</c>, <c>{{owner.signature}}</c>,
/// <c>{{custom.plan}}</c>… A template is checked when it is saved, so an unknown field is refused then, by name, rather
/// than sent as a blank to thousands of people. A value is encoded for where it lands (the caller says how): Markdown
/// with every special character neutralised in a body, plain text in a subject.
/// </summary>
public static partial class MergeFields
{
    public const string CustomPrefix = "custom.";

    /// <summary>Every field a template may use besides <c>custom.FIELD</c>.</summary>
    public static readonly IReadOnlyList<string> Known =
        ["firstName", "lastName", "email", "company", "title", "owner.name", "owner.email", "owner.signature"];

    /// <summary>The problems with a template text's merge fields; empty when every one can be filled.</summary>
    public static IReadOnlyList<MergeFieldError> Validate(string? text)
    {
        var errors = new List<MergeFieldError>();
        if (string.IsNullOrEmpty(text)) return errors;
        foreach (Match token in Token().Matches(text))
        {
            var inner = Inner().Match(token.Groups[1].Value);
            if (!inner.Success)
                errors.Add(new MergeFieldError(token.Groups[1].Value.Trim(),
                    $"'{token.Value}' is not a merge field; write {{{{field}}}} or {{{{field | default: \"text\"}}}}."));
            else if (!IsKnown(inner.Groups[1].Value))
                errors.Add(new MergeFieldError(inner.Groups[1].Value,
                    $"'{inner.Groups[1].Value}' is not a merge field; use {string.Join(", ", Known)} or custom.FIELD."));
        }
        return errors;
    }

    public static bool IsKnown(string field) =>
        Known.Contains(field) || (field.StartsWith(CustomPrefix, StringComparison.Ordinal) && field.Length > CustomPrefix.Length);

    /// <summary>Fills every merge field, each value (or its default, when the value is blank) passed through <paramref name="encode"/>.</summary>
    public static string Apply(string text, MergeData data, Func<string, string> encode) =>
        Token().Replace(text, token =>
        {
            var inner = Inner().Match(token.Groups[1].Value);
            if (!inner.Success || !IsKnown(inner.Groups[1].Value)) return "";
            var value = ValueOf(inner.Groups[1].Value, data);
            if (string.IsNullOrWhiteSpace(value))
                value = inner.Groups[2].Success ? Regex.Unescape(inner.Groups[2].Value) : "";
            return value.Length == 0 ? "" : encode(value);
        });

    public static string? ValueOf(string field, MergeData data) => field switch
    {
        "firstName" => data.FirstName,
        "lastName" => data.LastName,
        "email" => data.Email,
        "company" => data.Company,
        "title" => data.Title,
        "owner.name" => data.OwnerName,
        "owner.email" => data.OwnerEmail,
        "owner.signature" => data.OwnerSignature,
        _ when field.StartsWith(CustomPrefix, StringComparison.Ordinal) =>
            data.Custom.TryGetValue(field[CustomPrefix.Length..], out var v) ? v : null,
        _ => null,
    };

    /// <summary>
    /// A value as literal Markdown text: every ASCII punctuation character is backslash-escaped (CommonMark's escape),
    /// so a value cannot open a link, emphasis, a heading or HTML; a line break stays a line break (a signature keeps
    /// its lines) and never starts a new block.
    /// </summary>
    public static string MarkdownLiteral(string value)
    {
        var sb = new StringBuilder(value.Length * 2);
        var lines = value.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0) sb.Append("\\\n");
            foreach (var ch in i > 0 ? lines[i].TrimStart() : lines[i])
            {
                if (char.IsControl(ch)) sb.Append(' ');
                else if (char.IsAsciiLetterOrDigit(ch) || ch == ' ' || ch > 127) sb.Append(ch);
                else sb.Append('\\').Append(ch);
            }
        }
        return sb.ToString();
    }

    /// <summary>A value for a one-line plain-text place such as a subject: line breaks and control characters become spaces.</summary>
    public static string OneLine(string value) => string.Concat(value.Select(ch => char.IsControl(ch) ? ' ' : ch)).Trim();

    [GeneratedRegex(@"\{\{(.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Token();

    [GeneratedRegex("""^\s*([A-Za-z][A-Za-z0-9_]*(?:\.[^\s|}]+)?)\s*(?:\|\s*default\s*:\s*"((?:[^"\\]|\\.)*)"\s*)?$""")]
    private static partial Regex Inner();
}

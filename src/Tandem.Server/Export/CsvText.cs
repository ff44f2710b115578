namespace Tandem.Server.Export;

/// <summary>RFC 4180 quoting: a value with a delimiter, quote or line break is quoted, quotes doubled.</summary>
internal static class CsvText
{
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value[0] == ' ' || value[^1] == ' '
            ? "\"" + value.Replace("\"", "\"\"") + "\""
            : value;
    }
}

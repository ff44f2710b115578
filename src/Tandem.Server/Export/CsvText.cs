using System.Globalization;

namespace Tandem.Server.Export;

/// <summary>
/// Every cell of every CSV Tandem serves (API and web exports, import error reports, report CSVs): defused, then quoted.
/// </summary>
internal static class CsvText
{
    /// <summary>RFC 4180 quoting (a value with a delimiter, quote or line break is quoted, quotes doubled), after <see cref="Defuse"/>.</summary>
    public static string Escape(string? value)
    {
        value = Defuse(value);
        if (string.IsNullOrEmpty(value)) return "";
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value[0] == ' ' || value[^1] == ' '
            ? "\"" + value.Replace("\"", "\"\"") + "\""
            : value;
    }

    /// <summary>
    /// Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return before one) as a formula, and lead data
    /// comes from public forms and tracking: such a cell gets a leading apostrophe, which spreadsheets read as "this is text".
    /// A plain number (-12.5) is left alone, as it cannot be a formula.
    /// </summary>
    public static string? Defuse(string? value)
    {
        if (string.IsNullOrEmpty(value) || value[0] is not ('=' or '+' or '-' or '@' or '\t' or '\r')) return value;
        const NumberStyles plainNumber = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        return double.TryParse(value, plainNumber, CultureInfo.InvariantCulture, out _) ? value : "'" + value;
    }
}

using System.Globalization;

namespace Tandem.Domain.Import;

/// <summary>How the text of one cell reads as a value: unknown, a yes/no, a number, an instant.</summary>
public sealed class CellValues
{
    /// <summary>
    /// Values exports use for "nobody answered": an unanswered drop-down ("Select"), spreadsheet
    /// errors and the usual stand-ins for null. Compared case-insensitively after trimming.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultPlaceholders =
        ["Select", "-- Select --", "Please Select", "N/A", "NA", "n.a.", "null", "NULL", "none", "(none)", "-", "--", "#N/A", "undefined", "unknown", "not provided"];

    private readonly HashSet<string> placeholders;

    public CellValues(IEnumerable<string>? placeholders = null) =>
        this.placeholders = new HashSet<string>((placeholders ?? DefaultPlaceholders).Select(p => p.Trim()), StringComparer.OrdinalIgnoreCase);

    public static readonly CellValues Default = new();

    /// <summary>The trimmed value, or null when the cell is empty or a placeholder.</summary>
    public string? Clean(string? raw)
    {
        if (raw is null) return null;
        var value = raw.Trim();
        return value.Length == 0 || placeholders.Contains(value) ? null : value;
    }

    private static readonly HashSet<string> Trues = new(["yes", "y", "true", "t", "1", "on", "checked", "x", "ja", "oui", "si", "sí"], StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string> Falses = new(["no", "n", "false", "f", "0", "off", "unchecked", "nein", "non"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads yes/no, true/false, 1/0, y/n, on/off (and a few languages' yes and no).</summary>
    public static bool TryBoolean(string value, out bool result)
    {
        result = Trues.Contains(value);
        return result || Falses.Contains(value);
    }

    /// <summary>
    /// Reads a number written with thousands separators in either convention ("1,234.5", "1.234,5",
    /// "1 234", "12'345"). A single separator followed by exactly three digits is read as thousands.
    /// </summary>
    public static bool TryNumber(string value, out decimal result)
    {
        result = 0;
        var s = value.Trim().Replace(" ", "").Replace("\u00A0", "").Replace("\u202F", "").Replace("'", "");
        if (s.Length == 0) return false;
        var lastComma = s.LastIndexOf(','); var lastDot = s.LastIndexOf('.');
        if (lastComma >= 0 && lastDot >= 0)
            s = lastComma > lastDot ? s.Replace(".", "").Replace(',', '.') : s.Replace(",", "");
        else if (lastComma >= 0)
        {
            var commas = s.Count(c => c == ',');
            var decimals = s.Length - lastComma - 1;
            s = commas > 1 || decimals == 3 ? s.Replace(",", "") : s.Replace(',', '.');
        }
        else if (lastDot >= 0 && s.Count(c => c == '.') > 1) s = s.Replace(".", "");
        return decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out result);
    }

    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.fff",
        "M/d/yyyy", "M/d/yyyy H:mm", "M/d/yyyy h:mm tt", "M/d/yyyy, h:mm tt", "M/d/yyyy H:mm:ss",
        "d.M.yyyy", "d.M.yyyy H:mm", "dd.MM.yyyy HH:mm:ss", "yyyy/MM/dd", "yyyy/MM/dd HH:mm:ss",
    ];

    /// <summary>
    /// Reads an instant: ISO 8601 (with or without offset, as Salesforce and HubSpot export), US
    /// month/day/year (Salesforce reports), day.month.year, or Unix seconds/milliseconds.
    /// A time without an offset is taken as UTC.
    /// </summary>
    public static bool TryInstant(string value, out DateTimeOffset result)
    {
        var s = value.Trim();
        if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var unix) && s.Length is 10 or 13)
        {
            result = s.Length == 10 ? DateTimeOffset.FromUnixTimeSeconds(unix) : DateTimeOffset.FromUnixTimeMilliseconds(unix);
            return true;
        }
        const DateTimeStyles styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces;
        if (DateTimeOffset.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, styles, out result)) return true;
        if (s.Contains('T') || s.EndsWith('Z') || s.Contains('+'))
            return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, styles, out result);
        return false;
    }
}

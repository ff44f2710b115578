using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Tandem.Server.Export;

namespace Tandem.Server.Web.Campaigns;

/// <summary>Every report table as a CSV file: the figures as shown (invariant numbers, ISO dates), one header line.</summary>
internal static class CsvDownload
{
    public static FileContentResult File(string fileName, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', header.Select(CsvText.Escape)).Append("\r\n");
        foreach (var row in rows) text.AppendJoin(',', row.Select(v => CsvText.Escape(Format(v)))).Append("\r\n");
        return new FileContentResult(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8") { FileDownloadName = fileName };
    }

    private static string? Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        decimal m => m.ToString("0.##", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        // A cell that starts like a formula is read as text by spreadsheets.
        string s when s.Length > 0 && s[0] is '=' or '+' or '-' or '@' => "'" + s,
        _ => value.ToString(),
    };
}

/// <summary>How report figures read on screen.</summary>
internal static class Figures
{
    public static string Count(double credit) => credit == Math.Floor(credit) ? credit.ToString("N0", CultureInfo.InvariantCulture)
        : credit.ToString("#,0.##", CultureInfo.InvariantCulture);

    public static string Money(decimal? amount) => amount is { } a ? a.ToString("#,0", CultureInfo.InvariantCulture) : "–";

    public static string Money2(decimal? amount) => amount is { } a ? a.ToString("#,0.00", CultureInfo.InvariantCulture) : "–";

    public static string Roi(double? roi) => roi is { } r ? (r * 100).ToString("#,0", CultureInfo.InvariantCulture) + "%" : "–";
}

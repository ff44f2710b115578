using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace Tandem.Server.Export;

/// <summary>
/// Every report table Tandem serves as CSV (report pages, campaigns, content, the revival report): one header line,
/// then one line per row, numbers invariant, instants ISO 8601 in UTC, each cell defused and escaped by <see cref="CsvText"/>.
/// </summary>
internal static class CsvTable
{
    public static string Text(IEnumerable<string> header, IEnumerable<IEnumerable<object?>> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', header.Select(CsvText.Escape)).Append("\r\n");
        foreach (var row in rows) text.AppendJoin(',', row.Select(v => CsvText.Escape(Cell(v)))).Append("\r\n");
        return text.ToString();
    }

    public static FileContentResult File(string fileName, IEnumerable<string> header, IEnumerable<IEnumerable<object?>> rows) =>
        new(Encoding.UTF8.GetBytes(Text(header, rows)), "text/csv; charset=utf-8") { FileDownloadName = fileName };

    /// <summary>A value as the cell shows it; midnight instants read as the day alone.</summary>
    public static string Cell(object? value) => value switch
    {
        null => "",
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        decimal m => m.ToString("0.##", CultureInfo.InvariantCulture),
        DateTimeOffset t => Instant(t),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static string Instant(DateTimeOffset at) => at.UtcDateTime.TimeOfDay == TimeSpan.Zero
        ? at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

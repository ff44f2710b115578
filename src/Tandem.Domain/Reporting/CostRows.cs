using System.Globalization;

namespace Tandem.Domain.Reporting;

/// <summary>A campaign's actual cost for one calendar month (UTC), in cents. <paramref name="Campaign"/> is as written in the file.</summary>
public sealed record CostRow(int Row, string? Campaign, string Month, long AmountCents);

/// <summary>A line of a costs file that cannot be used, with its line number (the header is line 1) and why.</summary>
public sealed record CostRowError(int Row, string Column, string Reason);

/// <summary>
/// Reads a costs file: a header naming "month" and "amount" (or "cost"), and "campaign" when the file covers several
/// campaigns. Months are "2026-10" (or "2026-10-01", "10/2026"); amounts are plain numbers with at most two decimals,
/// a currency sign or thousands separators allowed. Every bad line is reported, none is half-read.
/// </summary>
public static class CostRows
{
    public sealed record Parsed(IReadOnlyList<CostRow> Rows, IReadOnlyList<CostRowError> Errors);

    public static Parsed Parse(IReadOnlyList<string[]> records, bool needsCampaign)
    {
        var errors = new List<CostRowError>();
        var rows = new List<CostRow>();
        if (records.Count == 0) return new([], [new(1, "header", "The file is empty; the first line must name the columns month and amount.")]);
        var header = records[0].Select(h => h.Trim().ToLowerInvariant()).ToList();
        int Column(params string[] names) => header.FindIndex(h => names.Contains(h));
        var (month, amount, campaign) = (Column("month"), Column("amount", "cost", "actual cost", "spend"), Column("campaign", "campaign id", "utm_campaign"));
        if (month < 0) errors.Add(new(1, "header", "No month column: name one 'month'."));
        if (amount < 0) errors.Add(new(1, "header", "No amount column: name one 'amount' (or 'cost')."));
        if (needsCampaign && campaign < 0) errors.Add(new(1, "header", "No campaign column: name one 'campaign' (its id, utm_campaign or name)."));
        if (errors.Count > 0) return new([], errors);

        var seen = new Dictionary<(string?, string), int>();
        for (var i = 1; i < records.Count; i++)
        {
            var line = i + 1;
            var r = records[i];
            string Cell(int c) => c >= 0 && c < r.Length ? r[c].Trim() : "";
            var name = campaign >= 0 ? Cell(campaign) : null;
            if (needsCampaign && string.IsNullOrEmpty(name)) errors.Add(new(line, "campaign", "The campaign is empty."));
            var m = ParseMonth(Cell(month));
            if (m is null) errors.Add(new(line, "month", $"'{Cell(month)}' is not a month; write it as 2026-10."));
            var cents = ParseAmount(Cell(amount));
            if (cents is null) errors.Add(new(line, "amount", $"'{Cell(amount)}' is not an amount of at least 0 with at most two decimals."));
            if (m is null || cents is null || (needsCampaign && string.IsNullOrEmpty(name))) continue;
            var key = (name?.ToLowerInvariant(), m);
            if (seen.TryGetValue(key, out var first)) { errors.Add(new(line, "month", $"{m} appears twice for this campaign (also on line {first}).")); continue; }
            seen[key] = line;
            rows.Add(new CostRow(line, name, m, cents.Value));
        }
        return new(rows, errors);
    }

    /// <summary>"2026-10", "2026-10-01" or "10/2026" as "2026-10"; null when it is no month.</summary>
    public static string? ParseMonth(string text)
    {
        text = text.Trim();
        string[] formats = ["yyyy-MM", "yyyy-MM-dd", "MM/yyyy", "M/yyyy", "yyyy/MM"];
        return DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year is >= 2000 and <= 2100
            ? d.ToString("yyyy-MM", CultureInfo.InvariantCulture) : null;
    }

    /// <summary>An amount in cents: "1250", "1,250.50", "$1250.5"; null when negative, malformed or with more than two decimals.</summary>
    public static long? ParseAmount(string text)
    {
        var cleaned = new string(text.Where(ch => ch is not (',' or ' ' or '$' or '€' or '£')).ToArray());
        if (!decimal.TryParse(cleaned, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return null;
        if (value < 0 || value > 1_000_000_000_000m || decimal.Round(value, 2) != value) return null;
        return (long)(value * 100);
    }

    /// <summary>The first instant of a month ("2026-10") in Unix milliseconds (UTC).</summary>
    public static long MonthStart(string month) =>
        new DateTimeOffset(DateTime.ParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture), TimeSpan.Zero).ToUnixTimeMilliseconds();
}

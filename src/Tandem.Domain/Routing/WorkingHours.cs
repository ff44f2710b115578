using System.Globalization;

namespace Tandem.Domain.Routing;

/// <summary>
/// A rep's weekly working hours in their own time zone, e.g. mon–fri "09:00-17:00".
/// Days without hours are days off. <see cref="Always"/> is a rep who takes leads at any hour.
/// </summary>
public sealed class WorkingHours
{
    public static readonly IReadOnlyList<string> DayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    private readonly IReadOnlyDictionary<DayOfWeek, IReadOnlyList<(TimeOnly From, TimeOnly To)>> days;

    private WorkingHours(IReadOnlyDictionary<DayOfWeek, IReadOnlyList<(TimeOnly, TimeOnly)>> days) => this.days = days;

    public static readonly WorkingHours Always = new(new Dictionary<DayOfWeek, IReadOnlyList<(TimeOnly, TimeOnly)>>());

    public bool IsAlways => days.Count == 0;

    /// <summary>True when <paramref name="instant"/>, seen on the rep's wall clock, falls inside one of the day's ranges.</summary>
    public bool IsWorking(DateTimeOffset instant, TimeZoneInfo zone)
    {
        if (IsAlways) return true;
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        if (!days.TryGetValue(local.DayOfWeek, out var ranges)) return false;
        var time = TimeOnly.FromDateTime(local.DateTime);
        return ranges.Any(r => time >= r.From && (r.To == TimeOnly.MinValue ? true : time < r.To));
    }

    /// <summary>Parses {"mon":["09:00-12:00","13:00-17:00"], …}; the error names the day and the range.</summary>
    public static bool TryParse(IReadOnlyDictionary<string, string[]>? spec, out WorkingHours hours, out string? error)
    {
        hours = Always;
        error = null;
        if (spec is null || spec.Count == 0) return true;
        var parsed = new Dictionary<DayOfWeek, IReadOnlyList<(TimeOnly, TimeOnly)>>();
        foreach (var (day, ranges) in spec)
        {
            var index = DayNames.ToList().IndexOf(day.Trim().ToLowerInvariant());
            if (index < 0) { error = $"'{day}' is not a day; use {string.Join(", ", DayNames)}."; return false; }
            var list = new List<(TimeOnly, TimeOnly)>();
            foreach (var range in ranges ?? [])
            {
                var parts = (range ?? "").Split('-', StringSplitOptions.TrimEntries);
                if (parts.Length != 2 || !TryTime(parts[0], out var from) || !TryTime(parts[1], out var to)
                    || (to <= from && to != TimeOnly.MinValue))
                {
                    error = $"{day}: '{range}' is not a range like 09:00-17:00 (use 24:00 for midnight).";
                    return false;
                }
                list.Add((from, to));
            }
            if (list.Count > 0) parsed[(DayOfWeek)((index + 1) % 7)] = list;
        }
        if (parsed.Count == 0) { error = "Give hours for at least one day, or leave working hours empty for any time."; return false; }
        hours = new WorkingHours(parsed);
        return true;
    }

    public IReadOnlyDictionary<string, string[]> ToSpec() =>
        days.OrderBy(d => ((int)d.Key + 6) % 7).ToDictionary(
            d => DayNames[((int)d.Key + 6) % 7],
            d => d.Value.Select(r => $"{r.From:HH\\:mm}-{(r.To == TimeOnly.MinValue ? "24:00" : r.To.ToString("HH\\:mm", CultureInfo.InvariantCulture))}").ToArray());

    private static bool TryTime(string text, out TimeOnly time)
    {
        if (text == "24:00") { time = TimeOnly.MinValue; return true; }
        return TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }
}

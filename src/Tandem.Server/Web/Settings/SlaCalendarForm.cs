using System.Globalization;
using Tandem.Server.Sla;

namespace Tandem.Server.Web.Settings;

/// <summary>
/// The calendar form as typed: one text box per weekday ("09:00-12:00, 13:00-17:00"; blank = closed) and holidays one
/// per line ("2026-12-25 Christmas Day"), turned into the API's request. Malformed intervals and dates go on as typed
/// (or as a missing date) so the use case refuses them with its own words and field names.
/// </summary>
internal sealed class SlaCalendarForm
{
    /// <summary>The working week as the form lists it, Monday first.</summary>
    public static readonly IReadOnlyList<string> Week = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>Zones offered in the time-zone box; any other IANA zone may be typed.</summary>
    public static readonly IReadOnlyList<string> CommonZones =
    [
        "UTC", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Toronto", "America/Sao_Paulo",
        "America/Mexico_City", "Europe/London", "Europe/Dublin", "Europe/Paris", "Europe/Berlin", "Europe/Amsterdam", "Europe/Madrid",
        "Europe/Stockholm", "Europe/Warsaw", "Africa/Johannesburg", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo",
        "Asia/Shanghai", "Australia/Sydney", "Pacific/Auckland",
    ];

    public string? Name { get; set; }
    public string? TimeZone { get; set; } = "UTC";
    /// <summary>Day name (monday…sunday) → its intervals as typed.</summary>
    public Dictionary<string, string?> Hours { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string? Holidays { get; set; }

    public static SlaCalendarForm NewOffice() => new()
    {
        Hours = Week.Take(5).ToDictionary(d => d, string? (_) => "09:00-17:00", StringComparer.OrdinalIgnoreCase),
    };

    public SlaCalendars.Request ToRequest()
    {
        var hours = new Dictionary<string, List<string>>();
        foreach (var day in Week)
        {
            var intervals = (Hours.GetValueOrDefault(day) ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(i => i.Replace('–', '-').Replace(" ", "")).ToList();
            if (intervals.Count > 0) hours[day] = intervals;
        }
        return new SlaCalendars.Request(Name, TimeZone?.Trim(), hours, HolidayLines().Select(ParseHoliday).ToList());
    }

    /// <summary>The non-blank holiday lines, in the order typed; the request's holidays[i] is the i-th of these.</summary>
    public IReadOnlyList<string> HolidayLines() =>
        (Holidays ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>"2026-12-25 Christmas Day", "2026-12-25 — Christmas", or a bare date; anything else has no date.</summary>
    public static HolidayDto ParseHoliday(string line)
    {
        var space = line.IndexOfAny([' ', '\t']);
        var datePart = space < 0 ? line : line[..space];
        var name = space < 0 ? null : line[space..].Trim().TrimStart('-', '–', '—', ':', ',').Trim();
        return DateOnly.TryParseExact(datePart, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? new HolidayDto(date, string.IsNullOrEmpty(name) ? null : name)
            : new HolidayDto(default, line);
    }

    public static SlaCalendarForm From(CalendarDto c) => new()
    {
        Name = c.Name,
        TimeZone = c.TimeZone,
        Hours = Week.ToDictionary(d => d, string? (d) => c.WeeklyHours.TryGetValue(d, out var list) ? string.Join(", ", list) : "", StringComparer.OrdinalIgnoreCase),
        Holidays = string.Join("\n", c.Holidays.Select(h => h.Name is null ? h.Date.ToString("yyyy-MM-dd") : $"{h.Date:yyyy-MM-dd} {h.Name}")),
    };
}

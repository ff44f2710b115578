using System.Data.Common;
using Dapper;
using Tandem.Domain.Sla;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Sla;

internal sealed record HolidayDto(DateOnly Date, string? Name);

/// <param name="WeeklyHours">Day name (monday…sunday) → working intervals such as "09:00-17:00"; a missing day is closed.</param>
internal sealed record CalendarDto(long Id, string Name, string TimeZone, IReadOnlyDictionary<string, IReadOnlyList<string>> WeeklyHours,
    IReadOnlyList<HolidayDto> Holidays, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

internal sealed class CalendarRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    public string WeeklyHours { get; set; } = "{}";
    public string Holidays { get; set; } = "[]";
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public Dictionary<string, List<string>> Hours => Json.Read(WeeklyHours, new Dictionary<string, List<string>>());
    public List<HolidayDto> HolidayList => Json.Read(Holidays, new List<HolidayDto>());

    public BusinessCalendar ToCalendar() => new(TimeZoneInfo.FindSystemTimeZoneById(TimeZone),
        SlaCalendars.ToWeeklyHours(Hours), HolidayList.Select(h => h.Date));

    public CalendarDto ToDto() => new(Id, Name, TimeZone,
        Hours.ToDictionary(d => d.Key, IReadOnlyList<string> (d) => d.Value), HolidayList,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}

/// <summary>Business-hours calendars: validation of what admins send, and loading them for the clocks.</summary>
internal static class SlaCalendars
{
    public sealed record Request(string? Name, string? TimeZone, Dictionary<string, List<string>>? WeeklyHours, List<HolidayDto>? Holidays);

    public static readonly IReadOnlyList<string> DayNames = Enum.GetValues<DayOfWeek>().Select(DayName).ToList();

    public static string DayName(DayOfWeek d) => d.ToString().ToLowerInvariant();

    public static WeeklyHours ToWeeklyHours(IReadOnlyDictionary<string, List<string>> byDay) => new(
        Enum.GetValues<DayOfWeek>().ToDictionary(d => d, IReadOnlyList<WorkingInterval> (d) =>
            byDay.TryGetValue(DayName(d), out var list) ? list.Select(i => WorkingInterval.TryParse(i)!.Value).ToList() : []));

    /// <summary>Checks a create/replace request field by field; on success the row holds the normalized values.</summary>
    public static Validation Validate(Request request, CalendarRow row)
    {
        var v = new Validation();
        if (string.IsNullOrWhiteSpace(request.Name)) v.Add("name", "A calendar name is required.");
        else if (request.Name.Trim().Length > 200) v.Add("name", "Must be at most 200 characters.");
        TimeZoneInfo? zone = null;
        if (string.IsNullOrWhiteSpace(request.TimeZone)) v.Add("timeZone", "An IANA time zone is required, e.g. America/New_York or Europe/Berlin.");
        else if (!TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone.Trim(), out zone))
            v.Add("timeZone", $"'{request.TimeZone}' is not a known IANA time zone, e.g. America/New_York or Europe/Berlin.");

        var hours = new Dictionary<string, List<string>>();
        if (request.WeeklyHours is not { Count: > 0 }) v.Add("weeklyHours", "Give working hours for at least one day, e.g. {\"monday\":[\"09:00-17:00\"]}.");
        foreach (var (day, intervals) in request.WeeklyHours ?? [])
        {
            var name = day.Trim().ToLowerInvariant();
            if (!DayNames.Contains(name)) { v.Add($"weeklyHours.{day}", $"'{day}' is not a day; use {string.Join(", ", DayNames)}."); continue; }
            var parsed = new List<WorkingInterval>();
            for (var i = 0; i < (intervals?.Count ?? 0); i++)
            {
                if (WorkingInterval.TryParse(intervals![i]) is { } w) parsed.Add(w);
                else v.Add($"weeklyHours.{day}[{i}]", $"'{intervals[i]}' is not an interval; use HH:mm-HH:mm with the end after the start, e.g. 09:00-17:30.");
            }
            parsed.Sort((a, b) => a.StartMinute.CompareTo(b.StartMinute));
            for (var i = 1; i < parsed.Count; i++)
                if (parsed[i].StartMinute < parsed[i - 1].EndMinute) v.Add($"weeklyHours.{day}", $"Intervals {parsed[i - 1]} and {parsed[i]} overlap.");
            if (parsed.Count > 0) hours[name] = parsed.Select(p => p.ToString()).ToList();
        }
        if (request.WeeklyHours is { Count: > 0 } && hours.Count == 0 && v.IsValid) v.Add("weeklyHours", "At least one day needs working hours.");

        var holidays = request.Holidays ?? [];
        for (var i = 0; i < holidays.Count; i++)
        {
            if (holidays[i] is null || holidays[i].Date == default) v.Add($"holidays[{i}].date", "A date (YYYY-MM-DD) is required.");
            else if (holidays[i].Name is { Length: > 200 }) v.Add($"holidays[{i}].name", "Must be at most 200 characters.");
        }
        if (!v.IsValid) return v;

        row.Name = request.Name!.Trim();
        row.TimeZone = zone!.Id;
        row.WeeklyHours = Json.Write(hours);
        row.Holidays = Json.Write(holidays.DistinctBy(h => h.Date).OrderBy(h => h.Date).ToList());
        return v;
    }

    public static Task<CalendarRow?> FindAsync(DbConnection c, DbTransaction? tx, long id) =>
        c.QuerySingleOrDefaultAsync<CalendarRow>("SELECT * FROM sla_calendars WHERE id = @id", new { id }, tx);

    public static async Task<IReadOnlyDictionary<long, BusinessCalendar>> LoadAllAsync(DbConnection c, DbTransaction? tx) =>
        (await c.QueryAsync<CalendarRow>("SELECT * FROM sla_calendars", transaction: tx)).ToDictionary(r => r.Id, r => r.ToCalendar());

    public static Task<bool> NameTakenAsync(DbConnection c, DbTransaction tx, string name, long exceptId) =>
        c.ExecuteScalarAsync<bool>("SELECT COUNT(*) > 0 FROM sla_calendars WHERE LOWER(name) = LOWER(@name) AND id <> @exceptId", new { name, exceptId }, tx);
}

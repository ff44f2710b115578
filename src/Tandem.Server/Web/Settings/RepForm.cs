using System.Globalization;
using Tandem.Domain.Routing;
using Tandem.Server.Routing;

namespace Tandem.Server.Web.Settings;

/// <summary>
/// A rep's routing settings as their edit form holds them: one text box of hours per weekday ("09:00-12:00, 13:00-17:00",
/// blank = day off, all blank = any time) and the limits as typed, so a refused form comes back exactly as entered.
/// </summary>
internal sealed class RepForm
{
    public bool Active { get; set; } = true;
    public string? TimeZone { get; set; }

    /// <summary>Hours per day, Monday first, in <see cref="WorkingHours.DayNames"/> order.</summary>
    public List<string?> Days { get; set; } = [.. WorkingHours.DayNames.Select(_ => (string?)null)];

    public string? Capacity { get; set; }
    public string? DailyQuota { get; set; }
    public string? Weight { get; set; } = "1";

    public static RepForm From(RepEndpoints.RepDto rep) => new()
    {
        Active = rep.Active, TimeZone = rep.TimeZone,
        Days = [.. WorkingHours.DayNames.Select(d => rep.WorkingHours is { } h && h.TryGetValue(d, out var r) ? string.Join(", ", r) : null)],
        Capacity = rep.Capacity?.ToString(CultureInfo.InvariantCulture), DailyQuota = rep.DailyQuota?.ToString(CultureInfo.InvariantCulture),
        Weight = rep.Weight.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The API input, or the fields that are not numbers (keyed by the API's names). Blank limits mean no limit.</summary>
    public (RepEndpoints.RepInput? Input, FormOutcome Outcome) ToInput()
    {
        var errors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int? Number(string? text, string field, string blankMeans)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
            errors[field] = $"Enter a whole number{blankMeans}.";
            return null;
        }
        var capacity = Number(Capacity, "capacity", ", or leave it blank for no limit");
        var quota = Number(DailyQuota, "dailyQuota", ", or leave it blank for no limit");
        var weight = Number(Weight, "weight", " from 1 to 100") ?? (string.IsNullOrWhiteSpace(Weight) ? 1 : null);
        if (errors.Count > 0) return (null, new FormOutcome(false, errors, false));

        var hours = new Dictionary<string, string[]>();
        for (var i = 0; i < WorkingHours.DayNames.Count; i++)
        {
            var ranges = (i < Days.Count ? Days[i] : null)?.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
            if (ranges.Length > 0) hours[WorkingHours.DayNames[i]] = ranges;
        }
        return (new RepEndpoints.RepInput(Active, string.IsNullOrWhiteSpace(TimeZone) ? "UTC" : TimeZone.Trim(), hours, capacity, quota, weight),
            FormOutcome.Done);
    }

    /// <summary>Zones offered as suggestions; any IANA zone is accepted.</summary>
    public static readonly IReadOnlyList<string> CommonZones =
    [
        "UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome", "Europe/Amsterdam",
        "Europe/Stockholm", "Europe/Warsaw", "Europe/Helsinki", "Europe/Athens", "Europe/Istanbul", "Africa/Johannesburg", "Asia/Dubai",
        "Asia/Kolkata", "Asia/Singapore", "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "America/Sao_Paulo",
        "America/New_York", "America/Toronto", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Mexico_City",
    ];
}

using System.Globalization;

namespace Tandem.Server.Web.Settings;

/// <summary>An out-of-office period as typed: wall-clock start and end (date-time inputs) in the rep's own time zone.</summary>
internal sealed class TimeOffForm
{
    public string? StartsAt { get; set; }
    public string? EndsAt { get; set; }
    public string? Note { get; set; }

    /// <summary>The API input with instants, or which of the two inputs is not a date and time.</summary>
    public (Routing.RepEndpoints.TimeOffInput? Input, FormOutcome Outcome) ToInput(TimeZoneInfo zone)
    {
        var errors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var starts = Instant(StartsAt, zone, "startsAt", "When the time off starts is required.", errors);
        var ends = Instant(EndsAt, zone, "endsAt", "When the time off ends is required.", errors);
        if (errors.Count > 0) return (null, new FormOutcome(false, errors, false));
        return (new Routing.RepEndpoints.TimeOffInput(starts, ends, string.IsNullOrWhiteSpace(Note) ? null : Note.Trim()), FormOutcome.Done);
    }

    /// <summary>
    /// The instant a wall-clock time names in <paramref name="zone"/>. A time skipped by a daylight-saving jump is read as
    /// the first valid time after it; a time that happens twice as the earlier of the two, so time off never starts late.
    /// </summary>
    public static DateTimeOffset AtWallClock(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(30 - local.Minute % 30);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    /// <summary>The value a date-time input shows for an instant, on the rep's wall clock.</summary>
    public static string InputValue(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Instant(string? text, TimeZoneInfo zone, string field, string missing, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) { errors[field] = missing; return null; }
        if (DateTime.TryParseExact(text.Trim(), ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return AtWallClock(local, zone);
        errors[field] = $"'{text}' is not a date and time, e.g. 2026-12-24 09:00.";
        return null;
    }
}

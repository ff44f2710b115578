namespace Tandem.Domain.Routing;

/// <summary>Why a rep cannot take a lead right now, in the words the explanation uses.</summary>
public static class Eligibility
{
    /// <returns>Null when the rep may take the lead; otherwise the reason they were skipped.</returns>
    public static string? WhyNot(Rep rep, DateTimeOffset now, bool respectWorkingHours)
    {
        if (!rep.Active) return "inactive";
        var away = rep.TimeOff.FirstOrDefault(t => t.From <= now && now < t.Until);
        if (away is not null) return $"out of office until {away.Until.UtcDateTime:yyyy-MM-dd HH:mm} UTC";
        if (respectWorkingHours && !rep.Hours.IsWorking(now, rep.TimeZone)) return "outside working hours";
        if (rep.Capacity is { } cap && rep.OpenLeads >= cap) return $"at capacity ({rep.OpenLeads}/{cap} open leads)";
        if (rep.DailyQuota is { } quota && rep.AssignedToday >= quota) return $"daily quota reached ({rep.AssignedToday}/{quota})";
        return null;
    }

    /// <summary>The start of the rep's current local day, as an instant: where "today" begins for the daily quota.</summary>
    public static DateTimeOffset StartOfLocalDay(DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = local.Date;
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }
}

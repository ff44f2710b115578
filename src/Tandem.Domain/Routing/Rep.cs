namespace Tandem.Domain.Routing;

/// <summary>A period a rep is away (holiday, sick, conference): [From, Until).</summary>
public sealed record TimeOff(DateTimeOffset From, DateTimeOffset Until, string? Note = null);

/// <summary>A team member as routing sees them at one instant, with the counts that capacity and quota need.</summary>
public sealed record Rep(
    long UserId,
    string Name,
    bool Active,
    TimeZoneInfo TimeZone,
    WorkingHours Hours,
    IReadOnlyList<TimeOff> TimeOff,
    int? Capacity,
    int OpenLeads,
    int? DailyQuota,
    int AssignedToday,
    int Weight = 1)
{
    public static Rep Simple(long userId, string name) =>
        new(userId, name, true, TimeZoneInfo.Utc, WorkingHours.Always, [], null, 0, null, 0);
}

/// <summary>The team a rule sends leads to: its members, and who takes a lead when none of them can.</summary>
public sealed record Team(long Id, string Name, IReadOnlyList<Rep> Members, long? FallbackUserId, string? FallbackName, bool FallbackActive = true);

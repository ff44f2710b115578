using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;

namespace Tandem.Domain.Stall;

/// <summary>
/// Decides, for one lead and one rule, from when the lead counts as stalled — the instant the rule's threshold is
/// crossed, which may still be ahead (the sweep keeps it as the lead's next due time) — or that the rule does not
/// apply to the lead at all. Business hours and days are counted in the rule's calendar, in its time zone.
/// </summary>
public static class StallEvaluator
{
    /// <param name="calendar">The rule's calendar; null when the rule counts every hour.</param>
    /// <returns>When the lead stalls (or stalled) under the rule; null when the rule does not apply now.</returns>
    public static DateTimeOffset? StalledFrom(StallRule rule, StallFacts f, BusinessCalendar? calendar)
    {
        if (!rule.Stages.Contains(f.Stage)) return null;
        if (!rule.Segment.Matches(new LeadFacts(f.Stage, f.FitGrade, f.Source, f.TeamId))) return null;
        switch (rule.Kind)
        {
            case StallKind.NoOwnerTouch:
                if (f.OwnerId is null || f.OwnerAssignedAt is not { } assigned) return null;
                if (f.LastOwnerTouchAt >= assigned) return null;
                return AddHours(assigned, rule.Amount, calendar);
            case StallKind.MqlUntouched:
                if (f.Stage != Stage.MQL || f.LastOwnerTouchAt >= f.StageChangedAt) return null;
                return AddHours(f.StageChangedAt, rule.Amount, calendar);
            case StallKind.NoActivity:
                // Rotting is about the lead not being worked: the lead's own opens and visits do not keep it fresh.
                return AddDays(LastWorked(f), rule.Amount, calendar);
            case StallKind.RecycledFor:
                if (f.Stage != Stage.Recycled) return null;
                return AddDays(f.StageChangedAt, rule.Amount, calendar);
            case StallKind.LostDeal:
                if (f.Stage != Stage.Recycled || !f.IsLostDeal) return null;
                return AddDays(f.StageChangedAt, rule.Amount, calendar);
            case StallKind.Cooling:
                if (f.PeakEngagement is not { } peak || f.Engagement is not { } now) return null;
                if (peak < rule.CoolingFrom || now >= rule.CoolingBelow) return null;
                return f.ScoredAt ?? f.StageChangedAt;
            default:
                return null;
        }
    }

    /// <summary>Whether the lead is stalled under the rule at <paramref name="now"/>, and since when.</summary>
    public static bool IsStalled(StallRule rule, StallFacts f, BusinessCalendar? calendar, DateTimeOffset now, out DateTimeOffset since)
    {
        since = StalledFrom(rule, f, calendar) ?? DateTimeOffset.MaxValue;
        return since <= now;
    }

    /// <summary>The last time sales worked the lead: the stage move, the assignment or the owner's touch.</summary>
    public static DateTimeOffset LastWorked(StallFacts f)
    {
        var last = f.StageChangedAt;
        foreach (var t in new[] { f.OwnerAssignedAt, f.LastOwnerTouchAt })
            if (t > last) last = t.Value;
        return last;
    }

    private static DateTimeOffset AddHours(DateTimeOffset from, int hours, BusinessCalendar? calendar) =>
        calendar is null ? from.AddHours(hours) : calendar.AddTime(from, TimeSpan.FromHours(hours));

    private static DateTimeOffset AddDays(DateTimeOffset from, int days, BusinessCalendar? calendar) =>
        calendar is null ? from.AddDays(days) : calendar.AddDays(from, days);
}

using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;

namespace Tandem.Domain.Stall;

/// <summary>
/// A stall in words, for the owner, the manager and the rep who gets the lead back:
/// "Accepted by Riley 19 days ago; 1 call attempt; no activity since 17 days ago; the lead opened 2 emails since".
/// </summary>
public static class StallStory
{
    public static string Tell(StallRule rule, StallFacts f, DateTimeOffset now, BusinessCalendar? calendar)
    {
        var parts = new List<string> { Opening(rule, f, now, calendar) };
        if (rule.Kind is not (StallKind.RecycledFor or StallKind.LostDeal) || f.Touches.Total > 0)
            parts.Add(Touches(f.Touches));
        var last = StallEvaluator.LastWorked(f);
        if (rule.Kind is StallKind.NoActivity or StallKind.Cooling || f.LastOwnerTouchAt is not null)
            parts.Add($"no activity since {Ago(last, now)}");
        if (Signals(f.SignalsSinceTouch) is { } signals) parts.Add($"the lead {signals} since");
        return string.Join("; ", parts);
    }

    private static string Opening(StallRule rule, StallFacts f, DateTimeOffset now, BusinessCalendar? calendar)
    {
        var owner = f.OwnerName ?? "nobody";
        switch (rule.Kind)
        {
            case StallKind.NoOwnerTouch when f.OwnerAssignedAt is { } assigned:
                var working = calendar is null ? "" : $" ({StallRule.Plural((long)calendar.Between(assigned, now).TotalHours, "business hour")})";
                return $"Assigned to {owner} {Ago(assigned, now)}{working}";
            case StallKind.Cooling:
                return $"Engagement fell from {f.PeakEngagement} to {f.Engagement}" + (f.OwnerName is null ? "" : $"; owned by {owner}");
            case StallKind.LostDeal:
                return $"Deal lost {Ago(f.StageChangedAt, now)}" + (f.OwnerName is null ? "" : $" by {owner}");
            case StallKind.RecycledFor:
                return $"Recycled {Ago(f.StageChangedAt, now)}" + (f.StageReason is { } r ? $" ({r})" : "") + (f.OwnerName is null ? "" : $", last owned by {owner}");
        }
        return f.Stage switch
        {
            Stage.SAL => $"Accepted by {owner} {Ago(f.StageChangedAt, now)}",
            Stage.SQL => $"Qualified by {owner} {Ago(f.StageChangedAt, now)}",
            Stage.Opportunity => $"Opportunity with {owner} since {Ago(f.StageChangedAt, now)}",
            Stage.MQL => $"MQL since {Ago(f.StageChangedAt, now)}" + (f.OwnerName is null ? ", unassigned" : $", assigned to {owner}"),
            _ => $"{f.Stage} since {Ago(f.StageChangedAt, now)}" + (f.OwnerName is null ? "" : $", owned by {owner}"),
        };
    }

    private static string Touches(OwnerTouches t)
    {
        if (t.Total == 0) return "no call, email or meeting";
        var parts = new List<string>();
        if (t.Calls > 0) parts.Add(t.Calls == 1 ? "1 call attempt" : $"{t.Calls} call attempts");
        if (t.Emails > 0) parts.Add(StallRule.Plural(t.Emails, "email"));
        if (t.Meetings > 0) parts.Add(StallRule.Plural(t.Meetings, "meeting"));
        return string.Join(", ", parts);
    }

    private static string? Signals(LeadSignals s)
    {
        var parts = new List<string>();
        if (s.EmailsOpened > 0) parts.Add($"opened {StallRule.Plural(s.EmailsOpened, "email")}");
        if (s.EmailsClicked > 0) parts.Add($"clicked {StallRule.Plural(s.EmailsClicked, "link")}");
        if (s.PagesViewed > 0) parts.Add($"viewed {StallRule.Plural(s.PagesViewed, "page")}");
        if (s.Other > 0) parts.Add($"did {StallRule.Plural(s.Other, "other thing")}");
        return parts.Count == 0 ? null : parts.Count == 1 ? parts[0] : string.Join(", ", parts[..^1]) + " and " + parts[^1];
    }

    /// <summary>"19 days ago", "5 hours ago", "just now".</summary>
    public static string Ago(DateTimeOffset then, DateTimeOffset now)
    {
        var span = now - then;
        if (span.TotalDays >= 2) return $"{(int)span.TotalDays} days ago";
        if (span.TotalHours >= 1) return $"{StallRule.Plural((long)span.TotalHours, "hour")} ago";
        if (span.TotalMinutes >= 1) return $"{StallRule.Plural((long)span.TotalMinutes, "minute")} ago";
        return "just now";
    }
}

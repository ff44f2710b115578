using Tandem.Server.Sla;

namespace Tandem.Server.Web.Settings;

/// <summary>
/// Service levels in the words people use for them ("first touch within 4 business hours"), so both teams read the
/// same promise the clocks enforce.
/// </summary>
internal static class SlaWords
{
    /// <summary>"4 business hours", "1 business day".</summary>
    public static string Duration(DurationDto? d)
    {
        if (d?.Amount is not { } amount) return "—";
        var unit = (d.Unit ?? "").Trim().ToLowerInvariant() switch
        {
            "minutes" => amount == 1 ? "minute" : "minutes",
            "hours" => amount == 1 ? "hour" : "hours",
            "days" => amount == 1 ? "day" : "days",
            var other => other,
        };
        return $"{amount} business {unit}";
    }

    /// <summary>"first touch within 4 business hours; decision within 2 business days; 6 attempts over 10 business days".</summary>
    public static string Promises(PolicyDto p)
    {
        var parts = new List<string>();
        if (p.FirstTouch is not null) parts.Add($"first touch within {Duration(p.FirstTouch)}");
        if (p.Decision is not null) parts.Add($"decision within {Duration(p.Decision)}");
        if (p.Attempts is { Minimum: { } min } a) parts.Add($"{min} {(min == 1 ? "attempt" : "attempts")} over {Duration(a.Over)}");
        return parts.Count == 0 ? "no promises" : string.Join("; ", parts);
    }

    /// <summary>"grade A or B · from Paid Search · on Inbound SDR", or "every lead in the stage" when the segment is open.</summary>
    public static string Segment(SegmentDto s, IReadOnlyDictionary<long, string> teamNames)
    {
        var parts = new List<string>();
        if (s.Grades is { Count: > 0 } g) parts.Add($"{(g.Count == 1 ? "grade" : "grades")} {Or(g)}");
        if (s.Sources is { Count: > 0 } src) parts.Add($"from {Or(src)}");
        if (s.TeamIds is { Count: > 0 } t) parts.Add($"on {Or(t.Select(id => teamNames.TryGetValue(id, out var n) ? n : $"team #{id}").ToList())}");
        return parts.Count == 0 ? "every lead in the stage" : string.Join(" · ", parts);
    }

    /// <summary>"at 50% and 80% of the time", or "none".</summary>
    public static string Reminders(IReadOnlyList<int> percents) =>
        percents.Count == 0 ? "none" : $"at {And(percents.Select(p => p + "%").ToList())} of the time";

    public static string OnBreach(BreachDto b) => (b.NotifyManager ?? true, b.Reassign ?? false) switch
    {
        (true, true) => "notify the manager and reassign",
        (true, false) => "notify the manager",
        (false, true) => "reassign",
        _ => "record only",
    };

    /// <summary>
    /// The week in one line, consecutive days with the same hours joined: "Mon–Fri 09:00–17:00", "Mon–Thu 09:00–12:00, 13:00–17:00 · Fri 09:00–15:00".
    /// Closed days are left out.
    /// </summary>
    public static string WeeklyHours(IReadOnlyDictionary<string, IReadOnlyList<string>> byDay)
    {
        var runs = new List<(int First, int Last, string Hours)>();
        for (var i = 0; i < SlaCalendarForm.Week.Count; i++)
        {
            var hours = byDay.TryGetValue(SlaCalendarForm.Week[i], out var list) && list.Count > 0 ? string.Join(", ", list.Select(Dash)) : null;
            if (hours is null) continue;
            if (runs.Count > 0 && runs[^1].Last == i - 1 && runs[^1].Hours == hours) runs[^1] = (runs[^1].First, i, hours);
            else runs.Add((i, i, hours));
        }
        if (runs.Count == 0) return "closed every day";
        return string.Join(" · ", runs.Select(r => (r.First == r.Last ? Short(r.First) : $"{Short(r.First)}–{Short(r.Last)}") + " " + r.Hours));
    }

    /// <summary>"first touch", "decision", "attempts" — the clock kinds as the breach log reads them.</summary>
    public static string ClockKind(string kind) => kind switch
    {
        "first_touch" => "first touch",
        "decision" => "accept or reject",
        "attempts" => "attempts",
        _ => kind,
    };

    public static string Action(string action) => action switch
    {
        "reassigned" => "reassigned",
        "escalated" => "manager notified",
        _ => "recorded",
    };

    /// <summary>Business minutes as "45 min" or "2 h 5 min"; never in days, since a business day's length depends on the calendar.</summary>
    public static string Minutes(double? minutes)
    {
        if (minutes is not { } m) return "–";
        var total = (long)Math.Round(m);
        if (total < 60) return $"{total} min";
        var (h, rest) = (total / 60, total % 60);
        return rest == 0 ? $"{h} h" : $"{h} h {rest} min";
    }

    public static string Share(double? share) => share is { } s ? s.ToString("P0", System.Globalization.CultureInfo.InvariantCulture).Replace(" ", "") : "–";

    private static string Dash(string interval) => interval.Replace('-', '–');

    private static string Short(int day) => System.Globalization.CultureInfo.InvariantCulture.TextInfo.ToTitleCase(SlaCalendarForm.Week[day][..3]);

    private static string Or(IReadOnlyList<string> items) => Join(items, "or");
    private static string And(IReadOnlyList<string> items) => Join(items, "and");

    private static string Join(IReadOnlyList<string> items, string word) =>
        items.Count <= 1 ? string.Join("", items) : $"{string.Join(", ", items.Take(items.Count - 1))} {word} {items[^1]}";
}

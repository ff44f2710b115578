using Tandem.Domain.Lifecycle;

namespace Tandem.Domain.Sla;

/// <summary>The three promises sales makes about a lead it is given.</summary>
public enum SlaClockKind
{
    /// <summary>A first call, email or meeting within a time.</summary>
    FirstTouch,
    /// <summary>Accept (→ SAL) or reject (→ Recycled / Disqualified) within a time.</summary>
    Decision,
    /// <summary>At least N attempts over a period before giving the lead up.</summary>
    Attempts,
}

public static class SlaClockKinds
{
    public static string ToCode(this SlaClockKind kind) => kind switch
    {
        SlaClockKind.FirstTouch => "first_touch",
        SlaClockKind.Decision => "decision",
        _ => "attempts",
    };

    public static SlaClockKind Parse(string code) => code switch
    {
        "first_touch" => SlaClockKind.FirstTouch,
        "decision" => SlaClockKind.Decision,
        "attempts" => SlaClockKind.Attempts,
        _ => throw new ArgumentException($"Unknown clock kind '{code}'.", nameof(code)),
    };
}

/// <summary>What a lead looks like to policy matching.</summary>
public sealed record LeadFacts(Stage Stage, string? FitGrade, string? Source, long? TeamId);

/// <summary>Which leads a policy covers. An empty list means "any"; lists are alternatives (grade A or B).</summary>
public sealed record SlaSegment(IReadOnlyList<string> Grades, IReadOnlyList<string> Sources, IReadOnlyList<long> TeamIds)
{
    public static SlaSegment Everyone { get; } = new([], [], []);

    public bool Matches(LeadFacts lead) =>
        (Grades.Count == 0 || (lead.FitGrade is { } g && Grades.Contains(g, StringComparer.OrdinalIgnoreCase))) &&
        (Sources.Count == 0 || (lead.Source is { } s && Sources.Contains(s, StringComparer.OrdinalIgnoreCase))) &&
        (TeamIds.Count == 0 || (lead.TeamId is { } t && TeamIds.Contains(t)));
}

/// <summary>
/// "At least <see cref="Minimum"/> attempts over <see cref="Over"/> before the lead is recycled or disqualified" — when it
/// is given up with one of <see cref="GivingUpReasons"/>. The minimum is about leads that did not answer: a rep who reached
/// the lead and learned "no budget" after one call has not broken it. With an empty list only the due time judges it.
/// </summary>
public sealed record AttemptsRule(int Minimum, BusinessDuration Over, IReadOnlyList<string>? GivingUpReasons = null)
{
    /// <summary>The reasons a new policy's minimum applies to: the lead could not be reached.</summary>
    public static readonly IReadOnlyList<string> DefaultGivingUpReasons = ["no-response"];

    public IReadOnlyList<string> Reasons => GivingUpReasons ?? DefaultGivingUpReasons;

    /// <summary>Whether giving the lead up with <paramref name="reasonCode"/> is judged against the minimum (an unknown reason is).</summary>
    public bool AppliesTo(string? reasonCode) =>
        reasonCode is null || Reasons.Contains(reasonCode.Trim(), StringComparer.OrdinalIgnoreCase);
}

/// <summary>What happens when a clock breaches, besides recording it.</summary>
public sealed record BreachActions(bool NotifyManager, bool Reassign);

/// <summary>
/// Sales' side of the agreement for one stage and segment, e.g. "MQL grade A: first touch within 1 business hour;
/// accept or reject within 4 business hours; at least 6 attempts over 10 business days".
/// </summary>
public sealed record SlaPolicy(
    long Id,
    string Name,
    Stage Stage,
    SlaSegment Segment,
    int Priority,
    long CalendarId,
    BusinessDuration? FirstTouch,
    BusinessDuration? Decision,
    AttemptsRule? Attempts,
    IReadOnlyList<double> ReminderFractions,
    BreachActions OnBreach);

public static class SlaPolicies
{
    /// <summary>The policy that governs a lead: the lowest priority number among those whose stage and segment match (ties: oldest).</summary>
    public static SlaPolicy? Match(IEnumerable<SlaPolicy> policies, LeadFacts lead) =>
        policies.Where(p => p.Stage == lead.Stage && p.Segment.Matches(lead))
            .OrderBy(p => p.Priority).ThenBy(p => p.Id)
            .FirstOrDefault();
}

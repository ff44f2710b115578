using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;

namespace Tandem.Domain.Stall;

/// <summary>The ways a lead can stall.</summary>
public enum StallKind
{
    /// <summary>An owned lead nobody called, emailed or met for N business hours after it was assigned (beyond the SLA).</summary>
    NoOwnerTouch,
    /// <summary>A lead in sales' hands (SAL, SQL, Opportunity) with no activity at all for N days: rotting.</summary>
    NoActivity,
    /// <summary>A lead recycled N days ago: due for revival.</summary>
    RecycledFor,
    /// <summary>A lead whose engagement once reached X and has fallen below Y: cooling.</summary>
    Cooling,
    /// <summary>An MQL nobody has touched N business hours after it became one.</summary>
    MqlUntouched,
    /// <summary>A deal lost N days ago (recycled with the lost-deal reason).</summary>
    LostDeal,
}

/// <summary>What a stall rule does about a stalled lead, in the order its rule lists them.</summary>
public enum StallAction
{
    RemindOwner,
    NotifyManager,
    Reassign,
    EnrollRevival,
    CreateTask,
    Recycle,
}

/// <summary>
/// One stall rule: which leads it watches (stages and segment), when they count as stalled, and what to do then.
/// <see cref="Key"/> stays the same across versions, so a stall record names its rule whatever was published since.
/// </summary>
/// <param name="Amount">N in "N business hours" (<see cref="StallKind.NoOwnerTouch"/>, <see cref="StallKind.MqlUntouched"/>) or "N days" (the others but cooling).</param>
/// <param name="CalendarId">The SLA calendar whose working time counts; null counts every hour and every day.</param>
/// <param name="CoolingFrom">Cooling: the engagement the lead once reached (≥).</param>
/// <param name="CoolingBelow">Cooling: the engagement it has now fallen below (&lt;).</param>
/// <param name="RevivalProgramId">The nurture program <see cref="StallAction.EnrollRevival"/> enrolls in.</param>
/// <param name="TaskTitle">The task <see cref="StallAction.CreateTask"/> creates for the owner.</param>
/// <param name="DisqualifyWhenProgramEnds">When the revival program runs to its end with no response, disqualify the lead (reason no-response).</param>
public sealed record StallRule(
    string Key,
    string Name,
    StallKind Kind,
    IReadOnlyList<Stage> Stages,
    SlaSegment Segment,
    int Amount,
    long? CalendarId,
    int? CoolingFrom,
    int? CoolingBelow,
    IReadOnlyList<StallAction> Actions,
    long? RevivalProgramId,
    string? TaskTitle,
    int TaskDueInHours,
    bool DisqualifyWhenProgramEnds)
{
    /// <summary>True when the rule's actions leave the lead waiting for a revival (enrolled or recycled) rather than for its owner.</summary>
    public bool AwaitsRevival => Actions.Contains(StallAction.EnrollRevival) || Actions.Contains(StallAction.Recycle);

    /// <summary>The amount with its unit, as a person says it.</summary>
    public string Threshold => Kind switch
    {
        StallKind.NoOwnerTouch or StallKind.MqlUntouched => Plural(Amount, CalendarId is null ? "hour" : "business hour"),
        StallKind.Cooling => $"engagement from {CoolingFrom} or more to below {CoolingBelow}",
        _ => Plural(Amount, CalendarId is null ? "day" : "business day"),
    };

    internal static string Plural(long n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
}

/// <summary>One published (or draft) set of stall rules.</summary>
/// <param name="RevivedSlaPolicyId">The SLA policy a revived lead's new owner is held to ("revived lead: first touch within 1 business hour"); null: the usual policy for its stage.</param>
public sealed record StallRuleSet(IReadOnlyList<StallRule> Rules, long? RevivedSlaPolicyId)
{
    public static StallRuleSet Empty { get; } = new([], null);

    public StallRule? Find(string key) => Rules.FirstOrDefault(r => r.Key == key);
}

using Tandem.Domain.Lifecycle;

namespace Tandem.Domain.Reports;

/// <summary>
/// The revenue cycle as a funnel: the steps people go down (Lead → MQL → SAL → SQL → Opportunity → Customer) and the
/// two exits (Recycled, Disqualified). A person counts at a step once they have reached it, or passed it on the way to
/// a later one: the funnel asks "how far did they get", so every step holds at most the people of the step above.
/// </summary>
public static class Funnel
{
    public static readonly IReadOnlyList<Stage> Steps = [Stage.Lead, Stage.MQL, Stage.SAL, Stage.SQL, Stage.Opportunity, Stage.Customer];

    public static readonly IReadOnlyList<Stage> Exits = [Stage.Recycled, Stage.Disqualified];

    /// <summary>Steps and exits, in the order reports show them.</summary>
    public static readonly IReadOnlyList<Stage> All = [.. Steps, .. Exits];

    /// <summary>
    /// What entering <paramref name="to"/> marks as reached: the stage itself, and for a funnel step every earlier
    /// step as well (implied — the person passed it without stopping). A Subscriber has reached no funnel step yet.
    /// </summary>
    public static IReadOnlyList<(Stage Stage, bool Implied)> Reached(Stage to)
    {
        if (Exits.Contains(to)) return [(to, false)];
        var index = Steps.IndexOf(to);
        if (index < 0) return [];
        return Steps.Take(index + 1).Select(s => (s, s != to)).ToList();
    }

    /// <summary>
    /// The share of the people at one step who reached the next: null where the step above holds nobody, so a report
    /// shows "no data" rather than a made-up 0 % or an infinite one.
    /// </summary>
    public static double? Rate(long reached, long of) => of == 0 ? null : Math.Round((double)reached / of, 4);

    /// <summary>The stage pairs velocity measures: each step to the next, and the long hops both teams ask about.</summary>
    public static readonly IReadOnlyList<(Stage From, Stage To)> Intervals =
    [
        (Stage.Lead, Stage.MQL), (Stage.MQL, Stage.SAL), (Stage.SAL, Stage.SQL), (Stage.SQL, Stage.Opportunity),
        (Stage.Opportunity, Stage.Customer), (Stage.Lead, Stage.SQL), (Stage.MQL, Stage.SQL), (Stage.Lead, Stage.Customer),
    ];

    private static int IndexOf(this IReadOnlyList<Stage> list, Stage stage)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == stage) return i;
        return -1;
    }
}

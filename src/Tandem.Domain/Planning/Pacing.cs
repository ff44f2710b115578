using System.Globalization;

namespace Tandem.Domain.Planning;

/// <param name="Planned">The row's plan for the whole period; null where it cannot be worked back.</param>
/// <param name="ExpectedToDate">The plan pro rata to the share of the period gone.</param>
/// <param name="BehindBy">How far short of the expected the actual is (0.25 = 25 % behind; negative is ahead); null where nothing is expected yet.</param>
/// <param name="Projection">The actual at today's run rate carried to the period's end; null before the period starts.</param>
/// <param name="Words">What must change to still make the plan, in a sentence.</param>
public sealed record PacingRow(PlanStep Step, double? Planned, long Actual, double? ExpectedToDate, double? BehindBy, double? Projection, string Words)
{
    /// <summary>Behind pace by more than <paramref name="threshold"/> (0.1 = 10 %).</summary>
    public bool IsBehind(double threshold) => BehindBy > threshold;
}

/// <summary>
/// Actual against plan: each row's count to date against its plan pro rata to the time gone, a projection to the period's
/// end at the current run rate, and — for a row behind — how many more of the row above it takes at today's conversion.
/// </summary>
public static class Pacing
{
    /// <summary>The share of the period gone at <paramref name="now"/>, from 0 before it starts to 1 once it has ended.</summary>
    public static double Elapsed(PlanPeriod period, DateTimeOffset now) =>
        Math.Clamp((now - period.StartsAt).TotalMilliseconds / (period.EndsAt - period.StartsAt).TotalMilliseconds, 0, 1);

    public static IReadOnlyList<PacingRow> Rows(PlanPeriod period, DateTimeOffset now, IReadOnlyDictionary<PlanStep, double?> planned,
        IReadOnlyDictionary<PlanStep, long> actual)
    {
        var gone = Elapsed(period, now);
        var lastDay = period.End.AddDays(-1).ToString("d MMM", CultureInfo.InvariantCulture);
        return PlanSteps.All.Select(step =>
        {
            var plan = planned.GetValueOrDefault(step);
            var done = actual.GetValueOrDefault(step);
            double? projection = gone > 0 ? done / gone : null;
            if (plan is not { } p)
                return new PacingRow(step, null, done, null, null, projection, $"No plan for {PlanSteps.Plural(step)}: it cannot be worked back.");
            var expected = p * gone;
            double? behind = expected > 0 ? 1 - done / expected : null;
            return new PacingRow(step, p, done, expected, behind, projection, Words(step, p, done, expected, projection, actual, lastDay, gone));
        }).ToList();
    }

    private static string Words(PlanStep step, double plan, long done, double expected, double? projection, IReadOnlyDictionary<PlanStep, long> actual,
        string lastDay, double gone)
    {
        var name = PlanSteps.Plural(step);
        var whole = WorkBack.Whole(plan);
        if (done >= whole) return $"Plan met: {N(done)} of {N(whole)} {name}.";
        if (gone <= 0) return $"Not started: {N(whole)} {name} by {lastDay}.";
        if (done >= expected)
            return $"On pace: {N(done)} {name} against {N(expected)} expected by now; at this rate {N(projection ?? 0)} by {lastDay} (plan {N(whole)}).";
        var more = whole - done;
        var shortfall = $"{N(done)} of {N(expected)} expected by now; at this rate {N(projection ?? 0)} by {lastDay} against a plan of {N(whole)}.";
        if (step == PlanStep.Visit) return $"Behind: {shortfall} {N(more)} more visits by {lastDay}.";
        var feeder = step - 1;
        var fed = actual.GetValueOrDefault(feeder);
        if (fed == 0 || done == 0)
            return $"Behind: {shortfall} {N(more)} more {name} by {lastDay}; no {PlanSteps.Plural(feeder)} have become {name} yet, so today's rate cannot say how many it takes.";
        var rate = (double)done / fed;
        var needed = WorkBack.Whole(more / rate);
        return $"Behind: {shortfall} At today's {PlanSteps.RateLabel(step)} rate ({rate.ToString("0.#%", CultureInfo.InvariantCulture)}), " +
               $"{N(needed)} more {PlanSteps.Plural(feeder)} by {lastDay}.";
    }

    private static string N(double x) => Math.Round(x).ToString("#,0", CultureInfo.InvariantCulture);
}

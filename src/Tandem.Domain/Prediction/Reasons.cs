using System.Globalization;

namespace Tandem.Domain.Prediction;

/// <summary>One reason for a prediction: a field (or activity type), the person's value, and how many points of probability it adds.</summary>
public sealed record Reason(string Field, string Label, string Value, double Points, string Text);

/// <summary>
/// Turns a prediction's per-feature contributions (in the model's raw score) into points of probability that add up
/// exactly to the prediction's distance from the base rate.
/// </summary>
public static class Reasons
{
    public const string OtherFactors = "other factors";

    /// <param name="contributions">Raw-score contribution per field (slots of one field summed).</param>
    /// <param name="raw">The prediction's raw score.</param>
    /// <param name="rawAtBaseRate">The raw score the calibrator maps to the base rate.</param>
    /// <param name="top">How many fields to name; the rest are summed as "other factors".</param>
    /// <remarks>The calibrator is monotonic, so the probability moves in the raw score's direction; each field gets the
    /// share of the probability difference that its contribution has of the raw difference. What the contributions do
    /// not account for joins "other factors", so the reasons always sum to probability − base rate.</remarks>
    public static IReadOnlyList<Reason> Explain(IReadOnlyDictionary<string, double> contributions, Func<string, string> valueOf,
        double raw, double rawAtBaseRate, double probability, double baseRate, int top = 5)
    {
        var rawGap = raw - rawAtBaseRate;
        var gap = probability - baseRate;
        if (Math.Abs(rawGap) < 1e-12 || Math.Abs(gap) < 1e-12) return [];
        var scale = gap / rawGap;
        var named = contributions.Where(c => c.Value != 0).OrderByDescending(c => Math.Abs(c.Value)).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(top).ToList();
        var result = named.Select(c => Make(c.Key, valueOf(c.Key), c.Value * scale)).ToList();
        var rest = gap - result.Sum(r => r.Points);
        if (Math.Abs(rest) > 1e-12) result.Add(new Reason(OtherFactors, "Other factors", "", rest, $"Other factors: {Points(rest)}"));
        return result;
    }

    private static Reason Make(string field, string value, double points)
    {
        var label = FeatureSchema.Label(field);
        return new Reason(field, label, value, points, $"{label} = {value}: {Points(points)}");
    }

    /// <summary>"+18 points of probability", "−7 points of probability" (a point is one percentage point).</summary>
    public static string Points(double points)
    {
        var p = points * 100;
        var text = Math.Abs(p) >= 9.95 ? Math.Abs(p).ToString("0", CultureInfo.InvariantCulture) : Math.Abs(p).ToString("0.#", CultureInfo.InvariantCulture);
        return $"{(p < 0 ? "−" : "+")}{text} points of probability";
    }
}

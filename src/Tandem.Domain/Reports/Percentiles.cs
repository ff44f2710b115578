namespace Tandem.Domain.Reports;

/// <summary>Median and 90th percentile of durations, interpolated between the two nearest values (as PERCENTILE_CONT does).</summary>
public static class Percentiles
{
    /// <returns>The <paramref name="p"/>-th percentile (0 to 1) of <paramref name="values"/>; null for none.</returns>
    public static double? Of(IReadOnlyList<long> values, double p)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToArray();
        var position = p * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = (int)Math.Ceiling(position);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    public static double? Median(IReadOnlyList<long> values) => Of(values, 0.5);

    public static double? P90(IReadOnlyList<long> values) => Of(values, 0.9);
}

namespace Tandem.Bench.Kit;

/// <summary>Latency percentiles over every recorded sample (no sampling, no histogram buckets).</summary>
public sealed class Percentiles(IEnumerable<double> samples)
{
    private readonly double[] sorted = samples.Order().ToArray();

    public int Count => sorted.Length;

    /// <summary>The nearest-rank percentile: the smallest sample at or above <paramref name="p"/> percent of all.</summary>
    public double At(double p)
    {
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public double Max => sorted.Length == 0 ? double.NaN : sorted[^1];
}

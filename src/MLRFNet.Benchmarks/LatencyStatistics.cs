namespace MLRFNet.Benchmarks;

/// <summary>Median, 95th percentile, min and max of timed runs, in milliseconds.</summary>
public sealed record LatencyStatistics(int Runs, double MedianMs, double P95Ms, double MinMs, double MaxMs)
{
    /// <summary>
    /// Statistics of <paramref name="milliseconds"/>. Percentiles interpolate linearly between order statistics
    /// (Hyndman &amp; Fan definition 7, the default of <c>numpy.percentile</c>), so the figures can be checked with numpy.
    /// </summary>
    public static LatencyStatistics Of(IReadOnlyCollection<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        if (milliseconds.Count == 0) throw new ArgumentException("No timed runs to summarise.", nameof(milliseconds));
        var sorted = milliseconds.Order().ToArray();
        return new LatencyStatistics(sorted.Length, Percentile(sorted, 50), Percentile(sorted, 95), sorted[0], sorted[^1]);
    }

    /// <summary>The <paramref name="percent"/>-th percentile of ascending <paramref name="sorted"/> (numpy's default "linear").</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0) throw new ArgumentException("No values.", nameof(sorted));
        if (!(percent >= 0 && percent <= 100)) throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentile lies in [0, 100].");
        var position = (sorted.Count - 1) * percent / 100.0;
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}

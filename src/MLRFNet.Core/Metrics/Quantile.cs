namespace MLRFNet.Core.Metrics;

/// <summary>
/// Sample quantiles with linear interpolation between order statistics (Hyndman &amp; Fan 1996, definition 7), the
/// default of <c>numpy.quantile</c>/<c>numpy.percentile</c>, including numpy's two-sided interpolation formula so
/// that bootstrap intervals agree with numpy to the last bits.
/// </summary>
internal static class Quantile
{
    /// <summary>The <paramref name="q"/>-quantile (0 &lt;= q &lt;= 1) of <paramref name="sorted"/> (ascending).</summary>
    public static double OfSorted(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.Length == 0) throw new ArgumentException("No values to take a quantile of.", nameof(sorted));
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile lies in [0, 1].");
        var position = (sorted.Length - 1) * q;
        var below = Math.Min((int)Math.Floor(position), sorted.Length - 1);
        var above = Math.Min(below + 1, sorted.Length - 1);
        var t = position - below;
        double a = sorted[below], b = sorted[above], difference = b - a;
        // numpy's _lerp: a + (b - a) t, but b - (b - a)(1 - t) when t >= 0.5, exact at both ends.
        return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
    }
}

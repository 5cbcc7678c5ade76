namespace MLRFNet.Core.Metrics;

/// <summary>
/// The standard normal tail and quantile for DeLong's test (.NET has no erfc). Accuracy is checked against
/// scipy.stats.norm in the tests (relative error ~1e-14 for the tail, absolute ~1e-15 for the quantile).
/// </summary>
internal static class NormalDistribution
{
    private const double InverseSqrtTwoPi = 0.398942280401432677939946059934;

    public static double Density(double z) => InverseSqrtTwoPi * Math.Exp(-0.5 * z * z);

    /// <summary>Survival function P(Z &gt; z).</summary>
    public static double UpperTail(double z)
    {
        if (double.IsNaN(z)) return double.NaN;
        return z >= 0 ? 0.5 * Erfc(z / Math.Sqrt(2)) : 1 - 0.5 * Erfc(-z / Math.Sqrt(2));
    }

    /// <summary>P(|Z| &gt;= |z|).</summary>
    public static double TwoSidedP(double z) => Math.Min(1.0, Erfc(Math.Abs(z) / Math.Sqrt(2)));

    /// <summary>The z with P(Z &lt;= z) = p.</summary>
    public static double Quantile(double p)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "A normal quantile needs 0 < p < 1.");
        // Solve on the smaller tail (1 - p is exact for p >= 0.5), keeping relative precision for p near 0 or 1.
        return p < 0.5 ? -UpperQuantile(p) : UpperQuantile(1 - p);
    }

    /// <summary>The z &gt;= 0 with P(Z &gt; z) = tail (tail &lt;= 1/2), by Newton's method: on z &gt;= 0 the CDF is
    /// concave, so steps from 0 rise monotonically to the root without overshoot.</summary>
    private static double UpperQuantile(double tail)
    {
        var z = 0.0;
        for (var i = 0; i < 200; i++)
        {
            var step = (UpperTail(z) - tail) / Density(z);
            z += step;
            if (Math.Abs(step) <= 1e-15 * Math.Max(1, z)) break;
        }
        return z;
    }

    /// <summary>
    /// erfc(x) for x &gt;= 0: for x &lt; 2.5 as 1 - erf(x) with the all-positive series
    /// erf(x) = 2/sqrt(pi) exp(-x^2) sum_k 2^k x^(2k+1) / (1*3*...*(2k+1)) (Abramowitz &amp; Stegun 7.1.6); beyond,
    /// the continued fraction erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
    /// (A&amp;S 7.1.14), evaluated with the modified Lentz method.
    /// </summary>
    internal static double Erfc(double x)
    {
        if (x < 0) throw new ArgumentOutOfRangeException(nameof(x), x, "Erfc is evaluated for x >= 0 only.");
        if (x > 27) return 0; // exp(-729) underflows
        var x2 = x * x;
        if (x < 2.5)
        {
            double term = x, sum = x;
            for (var k = 1; k < 200 && term > 1e-17 * sum; k++)
            {
                term *= 2 * x2 / (2 * k + 1);
                sum += term;
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * Math.Exp(-x2) * sum;
        }

        // b0 = x, a_k = k/2, b_k = x: f = x + a1/(x + a2/(x + ...)).
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (var k = 1; k < 500; k++)
        {
            var a = k / 2.0;
            d = x + a * d;
            d = Math.Abs(d) < tiny ? 1 / tiny : 1 / d;
            c = x + a / c;
            if (Math.Abs(c) < tiny) c = tiny;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Math.Exp(-x2) / Math.Sqrt(Math.PI) / f;
    }
}

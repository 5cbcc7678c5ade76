namespace MLRFNet.Core.Metrics;

/// <summary>
/// Wilson score interval of a binomial proportion (Wilson 1927; Brown, Cai and DasGupta 2001 recommend it over the
/// Wald interval for small n and proportions near 0): k successes in n trials, two-sided at <paramref name="level"/>.
/// </summary>
public static class WilsonInterval
{
    public static (double Lower, double Upper) Of(int successes, int trials, double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "The level is in (0, 1), e.g. 0.95.");
        var z = NormalDistribution.Quantile(1 - (1 - level) / 2);
        var n = (double)trials;
        var p = successes / n;
        var z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}

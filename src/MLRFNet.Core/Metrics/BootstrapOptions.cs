namespace MLRFNet.Core.Metrics;

/// <summary>
/// Settings of a percentile bootstrap (Efron &amp; Tibshirani 1993, ch. 13): resample the images with replacement
/// <see cref="Iterations"/> times, recompute the statistic on each resample, and take the
/// (1 - level)/2 and (1 + level)/2 quantiles of the results (numpy's default linear interpolation).
/// </summary>
public sealed record BootstrapOptions
{
    /// <summary>Default seed: fixed, so a report is reproducible unless the caller asks otherwise.</summary>
    public const ulong DefaultSeed = 20230412;

    /// <summary>Resamples drawn (default 1000). Resamples that lose every positive or every negative of a class
    /// are skipped and counted, not redrawn.</summary>
    public int Iterations { get; init; } = 1000;

    /// <summary>Seed of the SplitMix64 generator that draws the resamples.</summary>
    public ulong Seed { get; init; } = DefaultSeed;

    /// <summary>Coverage of the interval, in (0, 1) (default 0.95).</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    public BootstrapOptions Validate()
    {
        if (Iterations < 1)
            throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations,
                "Bootstrap iterations must be at least 1 (1000 is usual; pass no bootstrap options to skip it).");
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel,
                "The confidence level is a fraction in (0, 1), e.g. 0.95.");
        return this;
    }
}

/// <summary>A percentile bootstrap interval and how many resamples it rests on.</summary>
/// <param name="Lower">Lower bound; null when every resample was skipped.</param>
/// <param name="Upper">Upper bound; null when every resample was skipped.</param>
/// <param name="ConfidenceLevel">Nominal coverage, e.g. 0.95.</param>
/// <param name="Iterations">Resamples drawn.</param>
/// <param name="Skipped">Resamples skipped because a class lost all its positives or all its negatives.</param>
/// <param name="Seed">The generator seed, to reproduce the interval.</param>
public sealed record BootstrapInterval(
    double? Lower, double? Upper, double ConfidenceLevel, int Iterations, int Skipped, ulong Seed)
{
    /// <summary>Resamples the interval was computed from.</summary>
    public int Used => Iterations - Skipped;

    public bool IsDefined => Lower.HasValue && Upper.HasValue;

    /// <summary>The interval of <paramref name="values"/> (one statistic per used resample; reordered in place).</summary>
    internal static BootstrapInterval FromValues(List<double> values, BootstrapOptions options)
    {
        var skipped = options.Iterations - values.Count;
        if (values.Count == 0) return new BootstrapInterval(null, null, options.ConfidenceLevel, options.Iterations, skipped, options.Seed);
        values.Sort();
        var alpha = 1 - options.ConfidenceLevel;
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values);
        return new BootstrapInterval(Quantile.OfSorted(span, alpha / 2), Quantile.OfSorted(span, 1 - alpha / 2),
            options.ConfidenceLevel, options.Iterations, skipped, options.Seed);
    }
}

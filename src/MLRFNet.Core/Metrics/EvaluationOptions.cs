namespace MLRFNet.Core.Metrics;

/// <summary>Options of <see cref="MultilabelEvaluator"/> and <see cref="PairedMultilabelComparison"/>.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Bootstrap settings for the confidence intervals; null skips the bootstrap (no intervals).</summary>
    public BootstrapOptions? Bootstrap { get; init; } = new();

    /// <summary>
    /// Per-class decision thresholds in label order (e.g. a manifest's), at which counts and metrics are reported
    /// besides those at each class's Youden threshold; null reports only the Youden ones.
    /// </summary>
    public float[]? Thresholds { get; init; }

    /// <summary>Coverage of DeLong's Wald interval of the AUC difference (paired comparison only).</summary>
    public double DeLongConfidenceLevel { get; init; } = 0.95;

    /// <summary>Checks the options against the number of classes.</summary>
    public EvaluationOptions Validate(int classes)
    {
        Bootstrap?.Validate();
        if (Thresholds is { } t)
        {
            if (t.Length != classes)
                throw new ArgumentException($"{t.Length} thresholds for {classes} classes: give one per class in label order.", nameof(Thresholds));
            for (var c = 0; c < t.Length; c++)
                if (float.IsNaN(t[c]))
                    throw new ArgumentException($"Threshold of class {c} is NaN; give a number such as 0.5.", nameof(Thresholds));
        }
        if (!(DeLongConfidenceLevel > 0 && DeLongConfidenceLevel < 1))
            throw new ArgumentOutOfRangeException(nameof(DeLongConfidenceLevel), DeLongConfidenceLevel, "The confidence level is a fraction in (0, 1), e.g. 0.95.");
        return this;
    }
}

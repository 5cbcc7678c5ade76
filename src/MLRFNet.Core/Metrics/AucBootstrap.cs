namespace MLRFNet.Core.Metrics;

/// <summary>
/// Percentile bootstrap confidence intervals for one class's ROC AUC and for the difference between two models'
/// AUCs on the same samples (paired: both models are scored on the same resample). For several classes at once,
/// with the mean AUC, use <see cref="MultilabelEvaluator"/> and <see cref="PairedMultilabelComparison"/>, which
/// draw the same resamples as these for the same seed.
/// </summary>
public static class AucBootstrap
{
    /// <summary>CI of the AUC of <paramref name="scores"/>. Undefined (null bounds, every resample skipped) when
    /// the class has no positives or no negatives.</summary>
    public static BootstrapInterval ConfidenceInterval(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels,
        BootstrapOptions? options = null)
    {
        options = (options ?? new BootstrapOptions()).Validate();
        var (positives, negatives) = MetricInput.Validate(scores, labels);
        RankedScores? ranked = positives > 0 && negatives > 0 ? RankedScores.Create(scores, labels) : null;
        return JointBootstrap.Run([[ranked]], scores.Length, options).ClassAuc(0);
    }

    /// <summary>Paired CI of AUC(candidate) - AUC(reference) on the same samples.</summary>
    public static BootstrapInterval DifferenceInterval(ReadOnlySpan<float> reference, ReadOnlySpan<float> candidate,
        ReadOnlySpan<int> labels, BootstrapOptions? options = null)
    {
        options = (options ?? new BootstrapOptions()).Validate();
        var (positives, negatives) = MetricInput.ValidatePaired(reference, candidate, labels);
        var defined = positives > 0 && negatives > 0;
        RankedScores?[] first = [defined ? RankedScores.Create(reference, labels) : null];
        RankedScores?[] second = [defined ? RankedScores.Create(candidate, labels) : null];
        return JointBootstrap.Run([first, second], reference.Length, options).ClassDifference(0);
    }
}

namespace MLRFNet.Core.Metrics;

/// <summary>
/// The area under one class's ROC curve. An AUC needs both positives and negatives; without them it is
/// undefined, never 0.5, so a class absent from an evaluation set cannot pull a mean AUC toward chance.
/// </summary>
/// <param name="Auc">P(positive scores higher than negative) + P(tie)/2; null when undefined.</param>
/// <param name="Positives">Samples labelled 1.</param>
/// <param name="Negatives">Samples labelled 0.</param>
public sealed record AucResult(double? Auc, int Positives, int Negatives)
{
    public bool IsDefined => Auc.HasValue;
}

/// <summary>
/// Exact ROC AUC, identical to scikit-learn's <c>roc_auc_score</c> for binary labels (which integrates the ROC
/// curve by trapezoids; the Mann-Whitney statistic with ties as one half is the same number, Hanley &amp; McNeil
/// 1982). O(n log n): one sort, then one pass over groups of tied scores.
/// </summary>
public static class RocAuc
{
    /// <param name="scores">One score per sample (any monotone scale: probabilities or logits), finite.</param>
    /// <param name="labels">One label per sample: 1 positive, 0 negative.</param>
    public static AucResult Compute(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels)
    {
        var (positives, negatives) = MetricInput.Validate(scores, labels);
        if (positives == 0 || negatives == 0) return new AucResult(null, positives, negatives);
        return new AucResult(RankedScores.Create(scores, labels).Auc(), positives, negatives);
    }
}

namespace MLRFNet.Core.Metrics;

/// <summary>
/// One class's confusion counts and the metrics derived from them at one decision threshold. A sample is predicted
/// positive when <c>score &gt;= Threshold</c> (the rule of the ROC curve's thresholds).
/// </summary>
/// <remarks>
/// Convention for zero denominators: the metric is undefined (null), never 0 or NaN. Sensitivity needs a positive,
/// specificity a negative, precision a predicted positive, F1 = 2TP / (2TP + FP + FN) a positive or a predicted
/// positive. scikit-learn instead warns and returns 0 (its <c>zero_division="warn"</c>). Accuracy is always
/// defined because inputs hold at least one sample.
/// </remarks>
public sealed record ThresholdMetrics
{
    public required float Threshold { get; init; }
    public required int TruePositives { get; init; }
    public required int FalsePositives { get; init; }
    public required int TrueNegatives { get; init; }
    public required int FalseNegatives { get; init; }

    /// <summary>(TP + TN) / n.</summary>
    public required double Accuracy { get; init; }

    /// <summary>TP / (TP + FN), the true positive rate (recall); null without positives.</summary>
    public double? Sensitivity { get; init; }

    /// <summary>TN / (TN + FP), the true negative rate; null without negatives.</summary>
    public double? Specificity { get; init; }

    /// <summary>TP / (TP + FP), the positive predictive value; null when nothing is predicted positive.</summary>
    public double? Precision { get; init; }

    /// <summary>2TP / (2TP + FP + FN); null when there are no positives and none are predicted.</summary>
    public double? F1 { get; init; }

    /// <param name="scores">One finite score per sample.</param>
    /// <param name="labels">One 0/1 label per sample.</param>
    /// <param name="threshold">Predict positive when score &gt;= threshold.</param>
    public static ThresholdMetrics At(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels, float threshold)
    {
        MetricInput.Validate(scores, labels);
        if (float.IsNaN(threshold))
            throw new ArgumentException("The threshold is NaN; give a number (e.g. 0.5 or a Youden threshold).", nameof(threshold));
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var predicted = scores[i] >= threshold;
            if (labels[i] == 1)
            {
                if (predicted) tp++;
                else fn++;
            }
            else if (predicted) fp++;
            else tn++;
        }
        return FromCounts(threshold, tp, fp, tn, fn);
    }

    public static ThresholdMetrics FromCounts(float threshold, int truePositives, int falsePositives,
        int trueNegatives, int falseNegatives)
    {
        int tp = truePositives, fp = falsePositives, tn = trueNegatives, fn = falseNegatives;
        if (tp < 0 || fp < 0 || tn < 0 || fn < 0 || tp + fp + tn + fn == 0)
            throw new ArgumentException($"Confusion counts TP={tp} FP={fp} TN={tn} FN={fn} must be non-negative and not all zero.");
        return new ThresholdMetrics
        {
            Threshold = threshold,
            TruePositives = tp,
            FalsePositives = fp,
            TrueNegatives = tn,
            FalseNegatives = fn,
            Accuracy = (double)(tp + tn) / (tp + fp + tn + fn),
            Sensitivity = Ratio(tp, tp + fn),
            Specificity = Ratio(tn, tn + fp),
            Precision = Ratio(tp, tp + fp),
            F1 = Ratio(2 * tp, 2 * tp + fp + fn),
        };
    }

    private static double? Ratio(int numerator, int denominator) =>
        denominator == 0 ? null : (double)numerator / denominator;
}

namespace MLRFNet.Core.Metrics;

/// <summary>
/// The threshold that maximises Youden's J = sensitivity + specificity - 1 = TPR - FPR (Youden 1950) over the
/// points of the ROC curve.
/// </summary>
/// <param name="Threshold">Predict positive when score &gt;= Threshold.</param>
/// <param name="J">TPR - FPR at that point.</param>
/// <param name="PointIndex">The point's index in the ROC curve (scikit-learn's default curve).</param>
public sealed record YoudenThreshold(float Threshold, double J, int PointIndex)
{
    /// <summary>
    /// Picks the point of the default ROC curve (<see cref="RocCurve"/>, intermediate points dropped) with the
    /// largest TPR - FPR; on a tie the first point, i.e. the highest threshold (fewest positive calls), exactly as
    /// <c>numpy.argmax(tpr - fpr)</c> on scikit-learn's <c>roc_curve</c>. When no point beats J = 0 this is the
    /// added first point (threshold max + 1: predict nothing positive). Null when the class has no positives or no
    /// negatives.
    /// </summary>
    public static YoudenThreshold? Select(RocCurve curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (curve.FalsePositiveRate is not { } fpr || curve.TruePositiveRate is not { } tpr) return null;
        var best = 0;
        var bestJ = tpr[0] - fpr[0];
        for (var k = 1; k < curve.Count; k++)
        {
            var j = tpr[k] - fpr[k];
            if (j > bestJ)
            {
                best = k;
                bestJ = j;
            }
        }
        return new YoudenThreshold(curve.Thresholds[best], bestJ, best);
    }

    /// <inheritdoc cref="Select(RocCurve)"/>
    public static YoudenThreshold? Select(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels) =>
        Select(RocCurve.Compute(scores, labels));
}

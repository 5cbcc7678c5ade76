namespace MLRFNet.Core.Metrics;

/// <summary>
/// One class's ROC curve, point for point as scikit-learn 1.2's <c>roc_curve</c>: thresholds are the distinct
/// scores in decreasing order, a sample counts as predicted positive when <c>score &gt;= threshold</c>, and a first
/// point (0, 0) is added at threshold <c>max score + 1</c> (scikit-learn &lt; 1.3; 1.3 and later write +inf there).
/// </summary>
/// <param name="Thresholds">Decreasing thresholds, one per point.</param>
/// <param name="FalsePositives">Negatives scoring at or above each threshold.</param>
/// <param name="TruePositives">Positives scoring at or above each threshold.</param>
/// <param name="FalsePositiveRate">FalsePositives / negatives; null when there are no negatives (undefined).</param>
/// <param name="TruePositiveRate">TruePositives / positives; null when there are no positives (undefined).</param>
public sealed record RocCurve(
    float[] Thresholds,
    int[] FalsePositives,
    int[] TruePositives,
    double[]? FalsePositiveRate,
    double[]? TruePositiveRate)
{
    public int Count => Thresholds.Length;

    public bool IsDefined => FalsePositiveRate is not null && TruePositiveRate is not null;

    /// <param name="scores">One finite score per sample.</param>
    /// <param name="labels">One 0/1 label per sample.</param>
    /// <param name="dropIntermediate">
    /// Drop points collinear with their neighbours, as scikit-learn does by default: they never change the curve,
    /// its area or the best Youden threshold.
    /// </param>
    public static RocCurve Compute(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels, bool dropIntermediate = true)
    {
        MetricInput.Validate(scores, labels);
        return From(RankedScores.Create(scores, labels), dropIntermediate);
    }

    internal static RocCurve From(RankedScores ranked, bool dropIntermediate)
    {
        var groups = ranked.GroupCount;
        var fps = new int[groups];
        var tps = new int[groups];
        int tp = 0, fp = 0;
        for (var g = 0; g < groups; g++)
        {
            tp += ranked.GroupPositives[g];
            fp += ranked.GroupNegatives(g);
            tps[g] = tp;
            fps[g] = fp;
        }

        // scikit-learn keeps a point when the second difference of fps or tps there is non-zero (a corner), and
        // always keeps the first and last point.
        var keep = new List<int>(groups);
        for (var g = 0; g < groups; g++)
        {
            var corner = g == 0 || g == groups - 1 || !dropIntermediate || groups <= 2
                || fps[g + 1] - 2 * fps[g] + fps[g - 1] != 0
                || tps[g + 1] - 2 * tps[g] + tps[g - 1] != 0;
            if (corner) keep.Add(g);
        }

        var count = keep.Count + 1;
        var thresholds = new float[count];
        var falsePositives = new int[count];
        var truePositives = new int[count];
        for (var k = 0; k < keep.Count; k++)
        {
            thresholds[k + 1] = ranked.GroupScore[keep[k]];
            falsePositives[k + 1] = fps[keep[k]];
            truePositives[k + 1] = tps[keep[k]];
        }
        thresholds[0] = thresholds[1] + 1f;

        return new RocCurve(thresholds, falsePositives, truePositives,
            Rates(falsePositives, ranked.Negatives), Rates(truePositives, ranked.Positives));
    }

    private static double[]? Rates(int[] counts, int total)
    {
        if (total == 0) return null;
        var rates = new double[counts.Length];
        for (var k = 0; k < counts.Length; k++) rates[k] = (double)counts[k] / total;
        return rates;
    }
}

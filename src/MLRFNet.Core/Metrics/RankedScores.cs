namespace MLRFNet.Core.Metrics;

/// <summary>
/// One class's samples sorted by descending score and cut into groups of tied scores. Every rank-based metric
/// (AUC, ROC curve, bootstrap) reads this one O(n log n) sort; ties are handled by working per group, so the sort
/// need not be stable.
/// </summary>
internal sealed class RankedScores
{
    private RankedScores(int[] order, int[] sortedLabels, int[] groupEnd, float[] groupScore, int[] groupPositives,
        int positives)
    {
        Order = order;
        SortedLabels = sortedLabels;
        GroupEnd = groupEnd;
        GroupScore = groupScore;
        GroupPositives = groupPositives;
        Positives = positives;
    }

    /// <summary>Sample indices by descending score.</summary>
    public int[] Order { get; }

    /// <summary>The labels in <see cref="Order"/>.</summary>
    public int[] SortedLabels { get; }

    /// <summary>Exclusive end (in <see cref="Order"/>) of each tie group, groups by descending score.</summary>
    public int[] GroupEnd { get; }

    /// <summary>The score shared by each group.</summary>
    public float[] GroupScore { get; }

    public int[] GroupPositives { get; }

    public int GroupCount => GroupEnd.Length;

    public int Count => Order.Length;

    public int Positives { get; }

    public int Negatives => Count - Positives;

    public int GroupSize(int g) => GroupEnd[g] - (g == 0 ? 0 : GroupEnd[g - 1]);

    public int GroupNegatives(int g) => GroupSize(g) - GroupPositives[g];

    /// <summary>Sorts already validated scores and 0/1 labels.</summary>
    public static RankedScores Create(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels)
    {
        var n = scores.Length;
        var keys = scores.ToArray();
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        Array.Sort(keys, order);
        Array.Reverse(keys);
        Array.Reverse(order);

        var sortedLabels = new int[n];
        var groups = 0;
        for (var k = 0; k < n; k++)
        {
            sortedLabels[k] = labels[order[k]];
            if (k == 0 || keys[k] != keys[k - 1]) groups++;
        }

        var groupEnd = new int[groups];
        var groupScore = new float[groups];
        var groupPositives = new int[groups];
        var g = -1;
        var positives = 0;
        for (var k = 0; k < n; k++)
        {
            if (k == 0 || keys[k] != keys[k - 1])
            {
                g++;
                groupScore[g] = keys[k];
            }
            groupEnd[g] = k + 1;
            groupPositives[g] += sortedLabels[k];
            positives += sortedLabels[k];
        }
        return new RankedScores(order, sortedLabels, groupEnd, groupScore, groupPositives, positives);
    }

    /// <summary>
    /// The Mann-Whitney AUC: P(score of a positive &gt; score of a negative), ties counted as one half. Computed as
    /// an exact integer count of doubled pair wins, divided once, so it equals the trapezoidal area of
    /// scikit-learn's roc_auc_score up to one rounding. Null when there are no positives or no negatives.
    /// </summary>
    public double? Auc()
    {
        if (Positives == 0 || Negatives == 0) return null;
        long negativesBelow = Negatives, doubledWins = 0;
        for (var g = 0; g < GroupCount; g++)
        {
            long groupNegatives = GroupNegatives(g);
            negativesBelow -= groupNegatives;
            doubledWins += GroupPositives[g] * (2 * negativesBelow + groupNegatives);
        }
        return doubledWins / (2.0 * Positives * Negatives);
    }

    /// <summary>
    /// The same AUC on a bootstrap resample given as a count per original sample (how often it was drawn), in O(n)
    /// without re-sorting. Null when the resample holds no positive or no negative.
    /// </summary>
    public double? WeightedAuc(ReadOnlySpan<int> drawCounts)
    {
        // One pass from the top score down: count doubled pair losses of each positive group against the negatives
        // above it (ties count one loss of a half each), then wins = 2PN - losses.
        long positivesTotal = 0, negativesAbove = 0, doubledLosses = 0;
        var start = 0;
        for (var g = 0; g < GroupEnd.Length; g++)
        {
            long groupPositives = 0, groupNegatives = 0;
            for (var k = start; k < GroupEnd[g]; k++)
            {
                var w = drawCounts[Order[k]];
                if (SortedLabels[k] == 1) groupPositives += w;
                else groupNegatives += w;
            }
            start = GroupEnd[g];
            doubledLosses += groupPositives * (2 * negativesAbove + groupNegatives);
            negativesAbove += groupNegatives;
            positivesTotal += groupPositives;
        }
        if (positivesTotal == 0 || negativesAbove == 0) return null;
        return (2 * positivesTotal * negativesAbove - doubledLosses) / (2.0 * positivesTotal * negativesAbove);
    }
}

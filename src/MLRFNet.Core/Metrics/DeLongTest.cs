namespace MLRFNet.Core.Metrics;

/// <summary>
/// DeLong's test for two correlated ROC AUCs: two models scored on the same samples (DeLong, DeLong &amp;
/// Clarke-Pearson 1988, Biometrics 44:837), computed with the O(n log n) midrank algorithm of Sun &amp; Xu 2014
/// ("Fast implementation of DeLong's algorithm", IEEE Signal Processing Letters 21:1389).
/// </summary>
public static class DeLongTest
{
    /// <summary>
    /// Compares <paramref name="candidate"/> with <paramref name="reference"/>. Null (undefined) with fewer than 2
    /// positives or 2 negatives: the variance uses sample covariances of the structural components, which need
    /// two of each.
    /// </summary>
    public static DeLongResult? Compare(ReadOnlySpan<float> reference, ReadOnlySpan<float> candidate,
        ReadOnlySpan<int> labels, double confidenceLevel = 0.95)
    {
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "The confidence level is a fraction in (0, 1), e.g. 0.95.");
        var (m, n) = MetricInput.ValidatePaired(reference, candidate, labels);
        if (m < 2 || n < 2) return null;

        var r = Components.Of(reference, labels, m, n);
        var c = Components.Of(candidate, labels, m, n);

        // Var(AUC_c - AUC_r) = Var(V10_c - V10_r)/m + Var(V01_c - V01_r)/n, the contrast (1, -1) of DeLong's
        // covariance matrix S10/m + S01/n. The per-sample differences are formed from the exact (half-integer)
        // rank differences before dividing, so identical score sets give exactly zero.
        var d10 = new double[m];
        for (var i = 0; i < m; i++) d10[i] = (c.PositiveRankGap[i] - r.PositiveRankGap[i]) / n;
        var d01 = new double[n];
        for (var j = 0; j < n; j++) d01[j] = (r.NegativeRankGap[j] - c.NegativeRankGap[j]) / m;
        var variance = SampleVariance(d10) / m + SampleVariance(d01) / n;

        var difference = c.Auc - r.Auc;
        var standardError = Math.Sqrt(variance);
        double? z;
        double p;
        if (variance > 0)
        {
            z = difference / standardError;
            p = NormalDistribution.TwoSidedP(z.Value);
        }
        else
        {
            // Zero variance: every structural component differs by the same constant, so the difference carries no
            // sampling noise. Equal AUCs: z = 0, p = 1; different AUCs: no finite z, p = 0.
            z = difference == 0 ? 0 : null;
            p = difference == 0 ? 1 : 0;
        }
        var q = NormalDistribution.Quantile(1 - (1 - confidenceLevel) / 2);
        return new DeLongResult
        {
            Positives = m,
            Negatives = n,
            ReferenceAuc = r.Auc,
            CandidateAuc = c.Auc,
            Difference = difference,
            Variance = variance,
            StandardError = standardError,
            Z = z,
            PValue = p,
            ConfidenceLevel = confidenceLevel,
            DifferenceLower = difference - q * standardError,
            DifferenceUpper = difference + q * standardError,
        };
    }

    private static double SampleVariance(double[] values)
    {
        double mean = 0;
        foreach (var v in values) mean += v;
        mean /= values.Length;
        double sum = 0;
        foreach (var v in values) sum += (v - mean) * (v - mean);
        return sum / (values.Length - 1);
    }

    /// <summary>
    /// Sun &amp; Xu's midrank quantities for one score set. With Tz the midrank of a sample among all samples, Tx among
    /// the positives and Ty among the negatives: V10_i = (Tz_i - Tx_i)/n is the share of negatives a positive beats
    /// (ties 1/2), V01_j = 1 - (Tz_j - Ty_j)/m the share of positives that beat a negative, and
    /// AUC = (sum of positives' Tz - m(m+1)/2) / (m n).
    /// </summary>
    private sealed record Components(double Auc, double[] PositiveRankGap, double[] NegativeRankGap)
    {
        public static Components Of(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels, int m, int n)
        {
            var positives = new float[m];
            var negatives = new float[n];
            int pi = 0, ni = 0;
            for (var k = 0; k < labels.Length; k++)
            {
                if (labels[k] == 1) positives[pi++] = scores[k];
                else negatives[ni++] = scores[k];
            }
            var all = new float[m + n];
            positives.CopyTo(all, 0);
            negatives.CopyTo(all, m);

            var tx = Midranks(positives);
            var ty = Midranks(negatives);
            var tz = Midranks(all);
            var positiveGap = new double[m];
            double rankSum = 0;
            for (var i = 0; i < m; i++)
            {
                positiveGap[i] = tz[i] - tx[i];
                rankSum += tz[i];
            }
            var negativeGap = new double[n];
            for (var j = 0; j < n; j++) negativeGap[j] = tz[m + j] - ty[j];
            var auc = (rankSum - m * (m + 1.0) / 2) / ((double)m * n);
            return new Components(auc, positiveGap, negativeGap);
        }

        /// <summary>1-based ranks, tied values sharing the mean of their ranks.</summary>
        private static double[] Midranks(float[] values)
        {
            var keys = (float[])values.Clone();
            var order = new int[values.Length];
            for (var i = 0; i < order.Length; i++) order[i] = i;
            Array.Sort(keys, order);
            var ranks = new double[values.Length];
            for (var start = 0; start < keys.Length;)
            {
                var end = start + 1;
                while (end < keys.Length && keys[end] == keys[start]) end++;
                var midrank = (start + 1 + end) / 2.0; // mean of ranks start+1 .. end
                for (var k = start; k < end; k++) ranks[order[k]] = midrank;
                start = end;
            }
            return ranks;
        }
    }
}

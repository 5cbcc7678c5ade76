namespace MLRFNet.Core.Metrics;

/// <summary>
/// Draws bootstrap resamples of the images once and computes every class's AUC, for one or two score sets, on
/// each. Classes are resampled jointly (an image is drawn with all its labels), so the spread of the mean AUC
/// includes the correlation between classes, and two models scored on the same images are compared pairwise.
/// A resample is a count per image (how often it was drawn), so each AUC costs O(n) on the presorted scores.
/// </summary>
internal sealed class JointBootstrap
{
    // aucs[b][set * classes + c]; NaN (internal only) where resample b lost every positive or negative of c.
    private readonly double[][] aucs;
    private readonly int classes;
    private readonly BootstrapOptions options;

    private JointBootstrap(double[][] aucs, int classes, BootstrapOptions options)
    {
        this.aucs = aucs;
        this.classes = classes;
        this.options = options;
    }

    /// <param name="sets">Per score set, per class: the ranked scores, or null for a class that has no positives
    /// or no negatives on the full data (every resample then loses it too).</param>
    /// <param name="images">Images in every ranked column.</param>
    public static JointBootstrap Run(IReadOnlyList<RankedScores?[]> sets, int images, BootstrapOptions options)
    {
        options.Validate();
        var classes = sets[0].Length;
        var random = new SplitMix64(options.Seed);
        var drawCounts = new int[images];
        var aucs = new double[options.Iterations][];
        for (var b = 0; b < options.Iterations; b++)
        {
            Array.Clear(drawCounts);
            for (var i = 0; i < images; i++) drawCounts[random.Below(images)]++;
            var row = new double[sets.Count * classes];
            for (var s = 0; s < sets.Count; s++)
                for (var c = 0; c < classes; c++)
                    row[s * classes + c] = sets[s][c]?.WeightedAuc(drawCounts) ?? double.NaN;
            aucs[b] = row;
        }
        return new JointBootstrap(aucs, classes, options);
    }

    /// <summary>Interval of class <paramref name="c"/>'s AUC in score set <paramref name="set"/>.</summary>
    public BootstrapInterval ClassAuc(int c, int set = 0) =>
        ClassStatistic(c, row => row[set * classes + c]);

    /// <summary>Interval of class <paramref name="c"/>'s AUC difference, set 1 minus set 0.</summary>
    public BootstrapInterval ClassDifference(int c) =>
        ClassStatistic(c, row => row[classes + c] - row[c]);

    /// <summary>Interval of the mean AUC over <paramref name="included"/> classes (those defined on the full data).
    /// A resample that loses any of them is skipped, so every used resample averages the same classes.</summary>
    public BootstrapInterval MeanAuc(bool[] included, int set = 0) =>
        MeanStatistic(included, (row, c) => row[set * classes + c]);

    /// <summary>Interval of the mean over <paramref name="included"/> classes of the AUC difference, set 1 minus set 0.</summary>
    public BootstrapInterval MeanDifference(bool[] included) =>
        MeanStatistic(included, (row, c) => row[classes + c] - row[c]);

    private BootstrapInterval ClassStatistic(int c, Func<double[], double> statistic)
    {
        var values = new List<double>(aucs.Length);
        foreach (var row in aucs)
            if (!double.IsNaN(row[c])) values.Add(statistic(row));
        return BootstrapInterval.FromValues(values, options);
    }

    private BootstrapInterval MeanStatistic(bool[] included, Func<double[], int, double> statistic)
    {
        var values = new List<double>(aucs.Length);
        var count = included.Count(x => x);
        if (count > 0)
        {
            foreach (var row in aucs)
            {
                double sum = 0;
                var lost = false;
                for (var c = 0; c < classes && !lost; c++)
                {
                    if (!included[c]) continue;
                    if (double.IsNaN(row[c])) lost = true;
                    else sum += statistic(row, c);
                }
                if (!lost) values.Add(sum / count);
            }
        }
        return BootstrapInterval.FromValues(values, options);
    }
}

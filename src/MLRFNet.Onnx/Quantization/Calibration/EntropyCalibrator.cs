namespace MLRFNet.Onnx.Quantization.Calibration;

/// <summary>
/// Range = [-amax, amax] (clipped to the observed [min, max]), amax the threshold whose quantized |x| histogram
/// is closest in KL divergence to the float one: TensorRT's calibration (Migacz, GTC 2017) as implemented in
/// pytorch-quantization's <c>_compute_amax_entropy</c>
/// (https://github.com/NVIDIA/TensorRT/blob/main/tools/pytorch-quantization/pytorch_quantization/calib/histogram.py).
/// For each candidate bin count i: the reference p is the first i bins with everything beyond added to the last;
/// q spreads each of the 2^(bits-1) quantization levels' counts evenly over its non-empty float bins; amax is the
/// upper edge of the last i with the least KL(p || q).
/// </summary>
public sealed class EntropyCalibrator : ICalibrator
{
    private readonly CalibrationOptions options;
    private readonly Dictionary<string, AbsoluteValueHistogram> histograms = new(StringComparer.Ordinal);

    public EntropyCalibrator(CalibrationOptions options) => this.options = options.Validate();

    public CalibrationMethod Method => CalibrationMethod.Entropy;

    public void Collect(string tensor, ReadOnlySpan<float> values)
    {
        if (!histograms.TryGetValue(tensor, out var h)) histograms[tensor] = h = new AbsoluteValueHistogram(options.HistogramBins);
        h.Add(tensor, values);
    }

    public IReadOnlyDictionary<string, TensorRange> ComputeRanges()
    {
        var ranges = new Dictionary<string, TensorRange>(StringComparer.Ordinal);
        foreach (var (tensor, h) in histograms)
        {
            if (h.Histogram is null)
            {
                ranges[tensor] = TensorRange.Validated(h.Min, h.Max, tensor);
                continue;
            }
            // A non-negative tensor (after ReLU) quantized asymmetrically uses all 2^bits levels on [0, amax].
            var unsigned = !options.Symmetric && h.Min >= 0;
            var amax = Search(h.Histogram.Counts, h.Histogram.Edges, 8, unsigned, options.EntropyStartBin, options.EntropyStride,
                options.EntropyMaxClippedFraction).Amax;
            ranges[tensor] = TensorRange.Validated(Math.Max(-amax, h.Min), Math.Min(amax, h.Max), tensor);
        }
        return ranges;
    }

    /// <summary>The KL-optimal amax of an |x| histogram (counts with edges[0] = 0), and every candidate's divergence.</summary>
    /// <param name="maxClippedFraction">Candidates leaving more than this fraction of the values beyond the
    /// threshold get an infinite divergence (1 = no guard, pytorch-quantization's behaviour).</param>
    public static (float Amax, double[] Divergences) Search(long[] counts, float[] edges, int bits, bool unsigned, int startBin, int stride,
        double maxClippedFraction = 1)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(edges);
        if (edges.Length != counts.Length + 1) throw new ArgumentException("A histogram has one more edge than bins.", nameof(edges));
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        if (counts.Length < 2 || startBin > counts.Length) return (edges[^1], []);

        // pytorch-quantization replaces the first bin (the zeros, dominant after ReLU) by its neighbour.
        var bins = (long[])counts.Clone();
        bins[0] = bins[1];
        var levels = 1 << (bits - 1 + (unsigned ? 1 : 0));
        double totalCount = counts.Sum();
        var divergences = new List<double>();
        var level = new int[counts.Length];
        var levelCounts = new double[levels];
        var levelBins = new int[levels];
        for (var i = startBin; i <= bins.Length; i += stride)
        {
            // numpy.digitize(range(i), linspace(0, i, levels + 1)) - 1: level of float bin j is floor(j / step).
            var step = (double)i / levels;
            Array.Clear(levelCounts);
            Array.Clear(levelBins);
            for (var j = 0; j < i; j++)
            {
                var l = (int)(j / step);
                while (l + 1 <= levels && (l + 1) * step <= j) l++;
                while (l > 0 && l * step > j) l--;
                level[j] = bins[j] == 0 ? -1 : l;
                if (level[j] < 0) continue;
                levelCounts[l] += bins[j];
                levelBins[l]++;
            }
            var reference = new double[i];
            var candidate = new double[i];
            long beyond = 0;
            for (var j = i; j < bins.Length; j++) beyond += bins[j];
            if (maxClippedFraction < 1 && beyond > maxClippedFraction * totalCount)
            {
                divergences.Add(double.PositiveInfinity);
                continue;
            }
            for (var j = 0; j < i; j++)
            {
                reference[j] = bins[j];
                if (level[j] >= 0) candidate[j] = levelCounts[level[j]] / levelBins[level[j]];
            }
            reference[i - 1] += beyond;
            divergences.Add(KullbackLeibler(reference, candidate));
        }

        // The last minimum wins (pytorch-quantization: len - 1 - argmin(divergences[::-1])).
        var best = 0;
        for (var k = 1; k < divergences.Count; k++)
            if (divergences[k] <= divergences[best]) best = k;
        return (edges[best * stride + startBin], divergences.ToArray());
    }

    /// <summary>scipy.stats.entropy(p, q): both normalised, sum of p log(p / q); +inf where q = 0 &lt; p; NaN as +inf.</summary>
    public static double KullbackLeibler(double[] p, double[] q)
    {
        double sp = 0, sq = 0;
        foreach (var v in p) sp += v;
        foreach (var v in q) sq += v;
        if (sp <= 0 || sq <= 0) return double.PositiveInfinity;
        var sum = 0.0;
        for (var k = 0; k < p.Length; k++)
        {
            var x = p[k] / sp;
            var y = q[k] / sq;
            if (x > 0 && y > 0) sum += x * Math.Log(x / y);
            else if (x > 0) return double.PositiveInfinity;
        }
        return double.IsNaN(sum) ? double.PositiveInfinity : sum;
    }
}

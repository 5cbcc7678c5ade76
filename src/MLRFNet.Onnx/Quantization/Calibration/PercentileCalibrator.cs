namespace MLRFNet.Onnx.Quantization.Calibration;

/// <summary>
/// Range = a percentile of the collected histogram, as ORT's HistogramCollector.compute_percentile
/// (https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/calibrate.py):
/// symmetric: histogram of |x|, threshold = the lower edge of the first bin whose cumulative fraction reaches
/// p / 100, range [-threshold, threshold]; asymmetric: histogram of x over [-t, t], cut (100 - p) / 200 from each
/// tail. Either way the range is clipped to the observed [min, max].
/// </summary>
public sealed class PercentileCalibrator : ICalibrator
{
    private readonly CalibrationOptions options;
    private readonly Dictionary<string, AbsoluteValueHistogram> absolute = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SignedValueHistogram> signed = new(StringComparer.Ordinal);

    public PercentileCalibrator(CalibrationOptions options) => this.options = options.Validate();

    public CalibrationMethod Method => CalibrationMethod.Percentile;

    public void Collect(string tensor, ReadOnlySpan<float> values)
    {
        if (options.Symmetric)
        {
            if (!absolute.TryGetValue(tensor, out var h)) absolute[tensor] = h = new AbsoluteValueHistogram(options.HistogramBins);
            h.Add(tensor, values);
        }
        else
        {
            if (!signed.TryGetValue(tensor, out var h)) signed[tensor] = h = new SignedValueHistogram(options.HistogramBins);
            h.Add(tensor, values);
        }
    }

    public IReadOnlyDictionary<string, TensorRange> ComputeRanges()
    {
        var ranges = new Dictionary<string, TensorRange>(StringComparer.Ordinal);
        foreach (var (tensor, h) in absolute)
        {
            var threshold = h.Histogram is null ? 0f : ThresholdEdge(h.Histogram, options.Percentile / 100.0);
            ranges[tensor] = TensorRange.Validated(Math.Max(-threshold, h.Min), Math.Min(threshold, h.Max), tensor);
        }
        foreach (var (tensor, h) in signed)
        {
            if (h.Histogram is null)
            {
                ranges[tensor] = TensorRange.Validated(h.Min, h.Max, tensor);
                continue;
            }
            var cut = (100.0 - options.Percentile) / 200.0;
            var low = ThresholdEdge(h.Histogram, cut);
            var high = ThresholdEdge(h.Histogram, 1.0 - cut);
            ranges[tensor] = TensorRange.Validated(Math.Max(low, h.Min), Math.Min(high, h.Max), tensor);
        }
        return ranges;
    }

    /// <summary>
    /// <c>edges[searchsorted(cumsum(counts / total), fraction)]</c>: the lower edge of the first bin whose
    /// cumulative fraction is at least <paramref name="fraction"/> (NumPy's cumsum adds in order, as here).
    /// </summary>
    public static float ThresholdEdge(UniformHistogram histogram, double fraction)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var total = (double)histogram.Total;
        if (total == 0) return 0;
        var cumulative = 0.0;
        var counts = histogram.Counts;
        for (var i = 0; i < counts.Length; i++)
        {
            cumulative += counts[i] / total;
            if (cumulative >= fraction) return histogram.Edges[i];
        }
        return histogram.Edges[counts.Length];
    }
}

namespace MLRFNet.Onnx.Quantization.Calibration;

/// <summary>
/// Histogram of x over a range symmetric about zero, [-t, t] with t = max|x|, merged across batches as ORT's
/// HistogramCollector.collect_value / merge_histogram does
/// (https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/calibrate.py): a batch
/// within the range is binned into it; a wider batch grows the range by whole bins on both sides and the old
/// counts land in the middle. Used by the asymmetric (U8S8) percentile, which cuts both tails.
/// </summary>
public sealed class SignedValueHistogram
{
    private readonly int initialBins;
    private long zerosBeforeRange;

    public SignedValueHistogram(int bins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        initialBins = bins;
    }

    public UniformHistogram? Histogram { get; private set; }
    public float Min { get; private set; } = float.PositiveInfinity;
    public float Max { get; private set; } = float.NegativeInfinity;

    public void Add(string tensor, ReadOnlySpan<float> values)
    {
        if (values.IsEmpty) return;
        var threshold = 0f;
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
                throw new InvalidDataException($"Tensor '{tensor}' took the value {v} during calibration; check the calibration inputs and the FP32 model.");
            if (v < Min) Min = v;
            if (v > Max) Max = v;
            threshold = Math.Max(threshold, Math.Abs(v));
        }

        if (Histogram is null)
        {
            if (threshold == 0)
            {
                zerosBeforeRange += values.Length;
                return;
            }
            Histogram = new UniformHistogram(-threshold, threshold, initialBins);
            if (zerosBeforeRange > 0) Histogram.Counts[Histogram.BinOf(0f)!.Value] += zerosBeforeRange;
        }
        else if (threshold > Histogram.High)
        {
            var oldThreshold = Histogram.High;
            var stride = 2 * oldThreshold / Histogram.Bins;
            var half = (int)Math.Floor((threshold - oldThreshold) / stride) + 1;
            var grown = new UniformHistogram(-(half * stride + oldThreshold), half * stride + oldThreshold, Histogram.Bins + 2 * half);
            grown.AddCounts(Histogram.Counts, half);
            Histogram = grown;
        }
        Histogram.Add(values);
    }
}

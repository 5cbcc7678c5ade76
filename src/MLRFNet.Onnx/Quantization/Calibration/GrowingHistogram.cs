namespace MLRFNet.Onnx.Quantization.Calibration;

/// <summary>
/// A calibration histogram that is fixed by the first batch holding a non-zero value and grows, without moving the
/// counts already made, when a later batch reaches further. Shared by the two range policies below: it checks that
/// every value is finite, tracks the signed min and max (thresholds are clipped to the data), and keeps the zeros
/// of all-zero batches that came before any range existed.
/// </summary>
public abstract class GrowingHistogram
{
    private readonly int initialBins;
    private long zerosBeforeRange;

    protected GrowingHistogram(int bins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        initialBins = bins;
    }

    /// <summary>Null until a batch holds a non-zero value.</summary>
    public UniformHistogram? Histogram { get; private set; }

    public float Min { get; private set; } = float.PositiveInfinity;
    public float Max { get; private set; } = float.NegativeInfinity;

    public void Add(string tensor, ReadOnlySpan<float> values)
    {
        if (values.IsEmpty) return;
        var amax = 0f;
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
                throw new InvalidDataException($"Tensor '{tensor}' took the value {v} during calibration; check the calibration inputs and the FP32 model.");
            if (v < Min) Min = v;
            if (v > Max) Max = v;
            amax = Math.Max(amax, Math.Abs(v));
        }

        if (Histogram is null)
        {
            if (amax == 0)
            {
                zerosBeforeRange += values.Length;
                return;
            }
            Histogram = Create(amax, initialBins);
            if (zerosBeforeRange > 0) Histogram.Counts[Histogram.BinOf(0f)!.Value] += zerosBeforeRange;
        }
        else if (amax > Histogram.High)
        {
            Histogram = Grow(Histogram, amax);
        }
        Bin(Histogram, values);
    }

    /// <summary>The first histogram, for a batch whose largest |x| is <paramref name="amax"/> &gt; 0.</summary>
    protected abstract UniformHistogram Create(float amax, int bins);

    /// <summary>A wider histogram reaching <paramref name="amax"/>, holding <paramref name="current"/>'s counts in place.</summary>
    protected abstract UniformHistogram Grow(UniformHistogram current, float amax);

    /// <summary>Counts <paramref name="values"/> into <paramref name="histogram"/> (which covers them).</summary>
    protected abstract void Bin(UniformHistogram histogram, ReadOnlySpan<float> values);
}

/// <summary>
/// Histogram of |x| over [0, max|x|], as TensorRT's pytorch-quantization HistogramCalibrator collects it
/// (https://github.com/NVIDIA/TensorRT/blob/main/tools/pytorch-quantization/pytorch_quantization/calib/histogram.py):
/// the first batch fixes the bin width (max / bins); a later batch with a larger maximum appends bins of the same
/// width, so earlier counts never move. Used by the symmetric percentile and by the entropy calibrator.
/// </summary>
public sealed class AbsoluteValueHistogram(int bins) : GrowingHistogram(bins)
{
    protected override UniformHistogram Create(float amax, int bins) => new(0, amax, bins);

    protected override UniformHistogram Grow(UniformHistogram current, float amax)
    {
        var width = current.High / current.Bins;
        var bins = (int)Math.Ceiling(amax / width);
        var grown = new UniformHistogram(0, bins * width, bins);
        grown.AddCounts(current.Counts, 0);
        return grown;
    }

    protected override void Bin(UniformHistogram histogram, ReadOnlySpan<float> values)
    {
        var absolute = new float[values.Length];
        for (var i = 0; i < values.Length; i++) absolute[i] = Math.Abs(values[i]);
        histogram.Add(absolute);
    }
}

/// <summary>
/// Histogram of x over a range symmetric about zero, [-t, t] with t = max|x|, merged across batches as ORT's
/// HistogramCollector.collect_value / merge_histogram does
/// (https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/calibrate.py): a batch
/// within the range is binned into it; a wider batch grows the range by whole bins on both sides and the old
/// counts land in the middle. Used by the asymmetric (U8S8) percentile, which cuts both tails.
/// </summary>
public sealed class SignedValueHistogram(int bins) : GrowingHistogram(bins)
{
    protected override UniformHistogram Create(float amax, int bins) => new(-amax, amax, bins);

    protected override UniformHistogram Grow(UniformHistogram current, float amax)
    {
        var oldThreshold = current.High;
        var stride = 2 * oldThreshold / current.Bins;
        var half = (int)Math.Floor((amax - oldThreshold) / stride) + 1;
        var grown = new UniformHistogram(-(half * stride + oldThreshold), half * stride + oldThreshold, current.Bins + 2 * half);
        grown.AddCounts(current.Counts, half);
        return grown;
    }

    protected override void Bin(UniformHistogram histogram, ReadOnlySpan<float> values) => histogram.Add(values);
}

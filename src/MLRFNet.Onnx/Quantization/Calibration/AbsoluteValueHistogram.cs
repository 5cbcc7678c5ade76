namespace MLRFNet.Onnx.Quantization.Calibration;

/// <summary>
/// Histogram of |x| over [0, max|x|] that grows as batches arrive, as TensorRT's pytorch-quantization
/// HistogramCalibrator collects it (https://github.com/NVIDIA/TensorRT/blob/main/tools/pytorch-quantization/pytorch_quantization/calib/histogram.py):
/// the first batch fixes the bin width (max / bins); a later batch with a larger maximum appends bins of the same
/// width, so earlier counts never move. Also tracks the signed min and max, to clip thresholds to the data.
/// </summary>
public sealed class AbsoluteValueHistogram
{
    private readonly int initialBins;
    private long zerosBeforeRange;

    public AbsoluteValueHistogram(int bins)
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
        var absolute = new float[values.Length];
        var amax = 0f;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (!float.IsFinite(v))
                throw new InvalidDataException($"Tensor '{tensor}' took the value {v} during calibration; check the calibration inputs and the FP32 model.");
            if (v < Min) Min = v;
            if (v > Max) Max = v;
            absolute[i] = Math.Abs(v);
            if (absolute[i] > amax) amax = absolute[i];
        }

        if (Histogram is null)
        {
            if (amax == 0)
            {
                zerosBeforeRange += values.Length;
                return;
            }
            Histogram = new UniformHistogram(0, amax, initialBins);
            Histogram.Counts[0] += zerosBeforeRange;
        }
        else if (amax > Histogram.High)
        {
            var width = Histogram.High / Histogram.Bins;
            var bins = (int)Math.Ceiling(amax / width);
            var grown = new UniformHistogram(0, bins * width, bins);
            grown.AddCounts(Histogram.Counts, 0);
            Histogram = grown;
        }
        Histogram.Add(absolute);
    }
}

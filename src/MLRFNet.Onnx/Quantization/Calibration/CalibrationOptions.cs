namespace MLRFNet.Onnx.Quantization.Calibration;

/// <summary>Settings of the activation calibrators; validated by <see cref="Validate"/> before any run.</summary>
public sealed record CalibrationOptions
{
    /// <summary>
    /// Default method. MinMax is ORT's default too; it keeps every calibration value representable, which is
    /// the safe choice for the small calibration sets (a few hundred images) a clinic site has.
    /// </summary>
    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

    /// <summary>Percentile kept by <see cref="CalibrationMethod.Percentile"/> (ORT's default 99.999).</summary>
    public double Percentile { get; init; } = 99.999;

    /// <summary>
    /// Histogram bins for Percentile and Entropy: 2048, as ORT's percentile calibrator and TensorRT's
    /// pytorch-quantization HistogramCalibrator use. More bins are added when later batches exceed the range.
    /// </summary>
    public int HistogramBins { get; init; } = 2048;

    /// <summary>First candidate threshold bin of the entropy search (pytorch-quantization's start_bin = 128).</summary>
    public int EntropyStartBin { get; init; } = 128;

    /// <summary>Step between candidate threshold bins of the entropy search (pytorch-quantization's stride = 1).</summary>
    public int EntropyStride { get; init; } = 1;

    /// <summary>
    /// Largest fraction of values an entropy threshold may clip (default 0.01). TensorRT's KL search assumes a
    /// distribution that starts at zero with rare outliers; for one far from zero (a Sigmoid output in [0.5, 1])
    /// clipping nearly everything into the last bin makes the clipped histogram a point mass whose KL divergence is
    /// ~0, and the search would return amax ~ 0.5. Candidates clipping more than this fraction are skipped; 1 turns
    /// the guard off (pure pytorch-quantization behaviour).
    /// </summary>
    public double EntropyMaxClippedFraction { get; init; } = 0.01;

    /// <summary>
    /// Symmetric ranges ([-a, a]): set by the quantizer from the scheme (S8S8 symmetric, U8S8 not). Decides whether
    /// the percentile cuts one tail of |x| or both tails of x.
    /// </summary>
    public bool Symmetric { get; init; } = true;

    public CalibrationOptions Validate()
    {
        if (!Enum.IsDefined(Method))
            throw new ArgumentOutOfRangeException(nameof(Method), Method, "Calibration method must be MinMax, Percentile or Entropy.");
        if (!(Percentile > 50 && Percentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(Percentile), Percentile, "The percentile is in (50, 100], e.g. 99.999.");
        if (HistogramBins < 16)
            throw new ArgumentOutOfRangeException(nameof(HistogramBins), HistogramBins, "Use at least 16 histogram bins (2048 is the usual).");
        if (EntropyStartBin < 1 || (Method == CalibrationMethod.Entropy && EntropyStartBin > HistogramBins))
            throw new ArgumentOutOfRangeException(nameof(EntropyStartBin), EntropyStartBin, $"The entropy start bin is in [1, {HistogramBins}] (128 is the usual).");
        if (!(EntropyMaxClippedFraction > 0 && EntropyMaxClippedFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(EntropyMaxClippedFraction), EntropyMaxClippedFraction, "The clipped fraction is in (0, 1], e.g. 0.01.");
        if (EntropyStride < 1)
            throw new ArgumentOutOfRangeException(nameof(EntropyStride), EntropyStride, "The entropy stride is at least 1.");
        return this;
    }
}

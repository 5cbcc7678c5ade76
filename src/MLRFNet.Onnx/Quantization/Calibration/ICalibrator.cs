namespace MLRFNet.Onnx.Quantization.Calibration;

/// <summary>
/// Accumulates the values each calibrated tensor takes over the calibration batches, then turns them into ranges.
/// Implementations keep bounded state (min/max or a histogram), never the values themselves.
/// </summary>
public interface ICalibrator
{
    CalibrationMethod Method { get; }

    /// <summary>Adds one batch of values of <paramref name="tensor"/>.</summary>
    void Collect(string tensor, ReadOnlySpan<float> values);

    /// <summary>The range of every tensor seen so far.</summary>
    IReadOnlyDictionary<string, TensorRange> ComputeRanges();
}

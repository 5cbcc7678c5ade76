namespace MLRFNet.Onnx.Quantization.Calibration;

/// <summary>
/// Range = the smallest and largest value seen over all batches (ORT calibrate.py MinMaxCalibrater without moving
/// average: https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/calibrate.py).
/// </summary>
public sealed class MinMaxCalibrator : ICalibrator
{
    private readonly Dictionary<string, (float Min, float Max)> ranges = new(StringComparer.Ordinal);

    public CalibrationMethod Method => CalibrationMethod.MinMax;

    public void Collect(string tensor, ReadOnlySpan<float> values)
    {
        if (values.IsEmpty) return;
        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
                throw new InvalidDataException($"Tensor '{tensor}' took the value {v} during calibration; check the calibration inputs and the FP32 model.");
            if (v < min) min = v;
            if (v > max) max = v;
        }
        ranges[tensor] = ranges.TryGetValue(tensor, out var old) ? (Math.Min(old.Min, min), Math.Max(old.Max, max)) : (min, max);
    }

    public IReadOnlyDictionary<string, TensorRange> ComputeRanges() =>
        ranges.ToDictionary(kv => kv.Key, kv => TensorRange.Validated(kv.Value.Min, kv.Value.Max, kv.Key), StringComparer.Ordinal);
}

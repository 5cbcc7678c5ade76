namespace MLRFNet.Onnx.Quantization.Calibration;

/// <summary>The one place a <see cref="CalibrationMethod"/> becomes a calibrator; unknown values are rejected.</summary>
public static class CalibratorFactory
{
    private static readonly IReadOnlyDictionary<CalibrationMethod, Func<CalibrationOptions, ICalibrator>> Registry =
        new Dictionary<CalibrationMethod, Func<CalibrationOptions, ICalibrator>>
        {
            [CalibrationMethod.MinMax] = _ => new MinMaxCalibrator(),
            [CalibrationMethod.Percentile] = o => new PercentileCalibrator(o),
            [CalibrationMethod.Entropy] = o => new EntropyCalibrator(o),
        };

    public static ICalibrator Create(CalibrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Registry.TryGetValue(options.Method, out var create))
            throw new ArgumentOutOfRangeException(nameof(options), options.Method,
                $"Unknown calibration method {(int)options.Method}; use one of {string.Join(", ", Registry.Keys)}.");
        return create(options.Validate());
    }
}

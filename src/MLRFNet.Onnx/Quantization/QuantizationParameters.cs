using MLRFNet.Onnx.Quantization.Calibration;

namespace MLRFNet.Onnx.Quantization;

/// <summary>Scale s and zero point z of the affine map r = s (q - z).</summary>
public readonly record struct ScaleZeroPoint(float Scale, int ZeroPoint);

/// <summary>
/// Scale/zero-point computation and value quantization, following ORT's quant_utils.compute_scale_zp and
/// quantize_nparray (https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/quant_utils.py).
/// </summary>
public static class QuantizationParameters
{
    /// <summary>
    /// The range is first widened to include 0 (so 0 is exactly representable: zero padding stays zero); symmetric
    /// ranges become [-absmax, absmax] with the zero point at the middle of the integer range (0 for int8);
    /// otherwise z = round(qmin - rmin / s). A range too small for a float32 scale gets s = 1, z = 0.
    /// </summary>
    public static ScaleZeroPoint Compute(TensorRange range, QuantizedElementType type, bool symmetric)
    {
        var (qmin, qmax) = type.Range(symmetric);
        double rmin = Math.Min(range.Min, 0f);
        double rmax = Math.Max(range.Max, 0f);
        if (symmetric)
        {
            var absmax = Math.Max(Math.Abs(rmin), Math.Abs(rmax));
            rmin = -absmax;
            rmax = absmax;
        }
        var scale = (rmax - rmin) / ((double)qmax - qmin);
        // numpy.finfo(float32).tiny: the smallest normal float32.
        if (scale < 1.17549435e-38) return new ScaleZeroPoint(1f, 0);
        var zeroPoint = symmetric
            ? (int)Math.Round((qmin + qmax) / 2.0, MidpointRounding.ToEven)
            : (int)Math.Round(qmin - rmin / scale, MidpointRounding.ToEven);
        return new ScaleZeroPoint((float)scale, zeroPoint);
    }

    /// <summary>
    /// round(x / s) + z clipped to <paramref name="clip"/>: float32 division and round-half-to-even, as NumPy's
    /// <c>(arr.astype(float32) / scale).round() + zero_point</c>.
    /// </summary>
    public static int Quantize(float value, ScaleZeroPoint parameters, (int Min, int Max) clip)
    {
        var q = MathF.Round(value / parameters.Scale, MidpointRounding.ToEven) + parameters.ZeroPoint;
        return (int)Math.Clamp(q, clip.Min, clip.Max);
    }

    public static float Dequantize(int q, ScaleZeroPoint parameters) => (q - parameters.ZeroPoint) * parameters.Scale;
}

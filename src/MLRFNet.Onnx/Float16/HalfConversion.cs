using MLRFNet.Onnx.Quantization.Proto;
using Onnx;

namespace MLRFNet.Onnx.Float16;

/// <summary>
/// float32 -> float16 conversion of weights without changing sign or finiteness: magnitudes above the limit are
/// clamped, non-zero magnitudes below the smallest kept one are raised to it (onnxconverter-common's
/// convert_np_to_float16, https://github.com/microsoft/onnxconverter-common/blob/master/onnxconverter_common/float16.py), then rounded to nearest even by <see cref="Half"/>'s conversion. NaN, +-Inf and 0 pass
/// unchanged.
/// </summary>
internal static class HalfConversion
{
    public static (Half[] Values, Float16Warning? Warning) Convert(string name, ReadOnlySpan<float> values, Float16Options options)
    {
        var result = new Half[values.Length];
        int clamped = 0, raised = 0;
        float largest = 0, smallest = float.PositiveInfinity;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            var magnitude = Math.Abs(v);
            if (float.IsFinite(v) && magnitude > options.MaxFiniteValue)
            {
                clamped++;
                largest = Math.Max(largest, magnitude);
                v = MathF.CopySign(options.MaxFiniteValue, v);
            }
            else if (v != 0 && magnitude < options.MinPositiveValue)
            {
                raised++;
                smallest = Math.Min(smallest, magnitude);
                v = MathF.CopySign(options.MinPositiveValue, v);
            }
            result[i] = (Half)v;
        }
        var warning = clamped + raised > 0
            ? new Float16Warning(name, clamped, raised, largest, float.IsPositiveInfinity(smallest) ? 0 : smallest)
            : null;
        return (result, warning);
    }

    /// <summary>A float16 copy of a float32 tensor (same name and dims).</summary>
    public static (TensorProto Tensor, Float16Warning? Warning) Convert(TensorProto tensor, Float16Options options)
    {
        var (values, warning) = Convert(tensor.Name, TensorData.ReadFloats(tensor), options);
        return (TensorData.FromHalfs(tensor.Name, tensor.Dims, values), warning);
    }
}

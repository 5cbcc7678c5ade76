namespace MLRFNet.Onnx.Quantization.Calibration;

/// <summary>The float range [Min, Max] a tensor's quantization must cover.</summary>
public readonly record struct TensorRange(float Min, float Max)
{
    public float AbsoluteMax => Math.Max(Math.Abs(Min), Math.Abs(Max));

    public static TensorRange Validated(float min, float max, string tensor)
    {
        if (!float.IsFinite(min) || !float.IsFinite(max) || min > max)
            throw new InvalidDataException(
                $"Calibration gave tensor '{tensor}' the range [{min}, {max}]; it must be finite with min <= max (do the calibration inputs hold NaN or Inf?).");
        return new TensorRange(min, max);
    }
}

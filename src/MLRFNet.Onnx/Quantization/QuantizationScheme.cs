namespace MLRFNet.Onnx.Quantization;

/// <summary>Activation and weight integer types of the QDQ model (ORT names them activation type + weight type).</summary>
public enum QuantizationScheme
{
    /// <summary>
    /// Signed int8 activations with symmetric ranges (zero point 0) and int8 weights: what TensorRT requires; the
    /// library's default. <c>mlrfnet quantize</c> chooses by target (<see cref="QuantizationTarget"/>).
    /// </summary>
    S8S8,

    /// <summary>
    /// Unsigned uint8 activations with asymmetric ranges, int8 weights: ORT's classic CPU format, fused into
    /// QLinearConv by its CPU provider (<see cref="QuantizationTarget.Cpu"/>).
    /// </summary>
    U8S8,
}

/// <summary>The integer type a tensor is quantized to.</summary>
public enum QuantizedElementType
{
    Int8,
    UInt8,
}

public static class QuantizedElementTypes
{
    /// <summary>
    /// Integer range used when computing scales, as ORT's get_qmin_qmax_for_qType: symmetric int8 uses
    /// [-127, 127] so that +-absmax both map to a level; asymmetric int8 [-128, 127]; uint8 [0, 255]
    /// (symmetric [0, 254]).
    /// </summary>
    public static (int Min, int Max) Range(this QuantizedElementType type, bool symmetric) => (type, symmetric) switch
    {
        (QuantizedElementType.Int8, true) => (-127, 127),
        (QuantizedElementType.Int8, false) => (-128, 127),
        (QuantizedElementType.UInt8, true) => (0, 254),
        (QuantizedElementType.UInt8, false) => (0, 255),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Quantized type must be Int8 or UInt8."),
    };

    /// <summary>The range QuantizeLinear saturates to (the full type range).</summary>
    public static (int Min, int Max) Saturation(this QuantizedElementType type) =>
        type == QuantizedElementType.Int8 ? (-128, 127) : (0, 255);

    public static global::Onnx.TensorProto.Types.DataType OnnxType(this QuantizedElementType type) =>
        type == QuantizedElementType.Int8 ? global::Onnx.TensorProto.Types.DataType.Int8 : global::Onnx.TensorProto.Types.DataType.Uint8;
}

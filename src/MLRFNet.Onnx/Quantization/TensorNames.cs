namespace MLRFNet.Onnx.Quantization;

/// <summary>
/// The one place names of inserted tensors and nodes are made, with ORT's suffixes (quant_utils.py,
/// https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/quant_utils.py:
/// TENSOR_NAME_QUANT_SUFFIX "_quantized", "_QuantizeLinear_Output", DEQUANT_OUTPUT_SUFFIX
/// "_DequantizeLinear_Output", ...), so the quantization debugger can pair a float tensor T of the FP32 model with
/// <c>T_DequantizeLinear_Output</c> of the QDQ model, and ORT's own tools read our models the same way.
/// </summary>
public static class TensorNames
{
    public const string QuantizedSuffix = "_quantized";
    public const string ScaleSuffix = "_scale";
    public const string ZeroPointSuffix = "_zero_point";
    public const string QuantizeNodeSuffix = "_QuantizeLinear";
    public const string QuantizeInputSuffix = "_QuantizeLinear_Input";
    public const string QuantizeOutputSuffix = "_QuantizeLinear_Output";
    public const string DequantizeNodeSuffix = "_DequantizeLinear";
    public const string DequantizeOutputSuffix = "_DequantizeLinear_Output";

    /// <summary>Integer initializer holding a quantized weight or bias.</summary>
    public static string Quantized(string tensor) => tensor + QuantizedSuffix;

    public static string Scale(string tensor) => tensor + ScaleSuffix;
    public static string ZeroPoint(string tensor) => tensor + ZeroPointSuffix;
    public static string QuantizeNode(string tensor) => tensor + QuantizeNodeSuffix;

    /// <summary>New name of a quantized graph output's float value before its QuantizeLinear (the graph output name is kept for the DQ output).</summary>
    public static string QuantizeInput(string tensor) => tensor + QuantizeInputSuffix;

    public static string QuantizeOutput(string tensor) => tensor + QuantizeOutputSuffix;
    public static string DequantizeNode(string tensor) => tensor + DequantizeNodeSuffix;
    public static string DequantizeOutput(string tensor) => tensor + DequantizeOutputSuffix;

    /// <summary>Names of the <paramref name="pair"/>-th (1-based) dedicated pair of a tensor with several consumers: ORT's "_1", "_2"... postfix.</summary>
    public static string Dedicated(string name, int pair) => $"{name}_{pair}";

    /// <summary>
    /// The float tensor a QDQ-model tensor stands for: <c>T_DequantizeLinear_Output</c> and the first dedicated
    /// pair's <c>T_DequantizeLinear_Output_1</c> -> T, <c>T_QuantizeLinear_Input</c> -> T; null for other names
    /// (other dedicated pairs repeat the first one's values).
    /// </summary>
    public static string? FloatTensorOf(string qdqTensor)
    {
        ArgumentNullException.ThrowIfNull(qdqTensor);
        if (qdqTensor.EndsWith(DequantizeOutputSuffix, StringComparison.Ordinal) && qdqTensor.Length > DequantizeOutputSuffix.Length)
            return qdqTensor[..^DequantizeOutputSuffix.Length];
        var firstDedicated = DequantizeOutputSuffix + "_1";
        if (qdqTensor.EndsWith(firstDedicated, StringComparison.Ordinal) && qdqTensor.Length > firstDedicated.Length)
            return qdqTensor[..^firstDedicated.Length];
        if (qdqTensor.EndsWith(QuantizeInputSuffix, StringComparison.Ordinal) && qdqTensor.Length > QuantizeInputSuffix.Length)
            return qdqTensor[..^QuantizeInputSuffix.Length];
        return null;
    }
}

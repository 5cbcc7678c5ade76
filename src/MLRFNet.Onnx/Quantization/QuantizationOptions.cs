using MLRFNet.Onnx.Quantization.Calibration;

namespace MLRFNet.Onnx.Quantization;

/// <summary>
/// Settings of <see cref="QdqQuantizer"/>: typed and validated up front (ORT's quantize_static takes a string-keyed
/// extra_options dictionary instead; the fields here are the ones this toolchain uses).
/// </summary>
public sealed record QuantizationOptions
{
    /// <summary>S8S8 (default: symmetric int8 activations, TensorRT-compatible) or U8S8 (ORT's CPU provider); see <see cref="QuantizationTarget"/>.</summary>
    public QuantizationScheme Scheme { get; init; } = QuantizationScheme.S8S8;

    /// <summary>Activation calibration; <see cref="CalibrationOptions.Symmetric"/> is overridden by the scheme.</summary>
    public CalibrationOptions Calibration { get; init; } = new();

    /// <summary>Weights quantized per output channel (axis 0 of Conv weights), as ORT and TensorRT recommend for CNNs.</summary>
    public bool PerChannel { get; init; } = true;

    /// <summary>Node names left in float (their own inputs, weights and outputs are not quantized for them).</summary>
    public IReadOnlyCollection<string> ExcludedNodeNames { get; init; } = [];

    /// <summary>Op types left in float.</summary>
    public IReadOnlyCollection<string> ExcludedOpTypes { get; init; } = [];

    /// <summary>
    /// Quantize tensors that are graph outputs. Off by default: the logits and probabilities the QA gate and the
    /// edge service read keep float precision (an int8 probability has only 255 levels, which creates ties that
    /// change AUC); as TensorRT advises, outputs that need high resolution are left unquantized.
    /// </summary>
    public bool QuantizeGraphOutputs { get; init; }

    /// <summary>
    /// Give each consumer of a quantized activation its own QuantizeLinear/DequantizeLinear pair (ORT's
    /// DedicatedQDQPair). TensorRT cannot share a QDQ pair between nodes, and ORT's CPU provider, which turns int8
    /// activations into uint8 on processors without int8 dot products (QDQS8ToU8Transformer), converts only a
    /// QuantizeLinear with a single DequantizeLinear after it: a shared pair on a residual branch leaves the next
    /// conv unfused. Null (default) means on for S8S8, off for U8S8.
    /// </summary>
    public bool? DedicatedQdqPairs { get; init; }

    public bool UsesDedicatedQdqPairs => DedicatedQdqPairs ?? Scheme == QuantizationScheme.S8S8;

    /// <summary>Activation element type of the scheme.</summary>
    public QuantizedElementType ActivationType => Scheme == QuantizationScheme.S8S8 ? QuantizedElementType.Int8 : QuantizedElementType.UInt8;

    /// <summary>Weights are always int8 with symmetric per-channel ranges (zero point 0), which ORT's QLinearConv requires.</summary>
    public QuantizedElementType WeightType => QuantizedElementType.Int8;

    /// <summary>S8S8 activations are symmetric (zero point 0); U8S8 activations use the full asymmetric [0, 255].</summary>
    public bool ActivationsSymmetric => Scheme == QuantizationScheme.S8S8;

    /// <summary>The calibration options with the scheme's symmetry applied.</summary>
    public CalibrationOptions EffectiveCalibration => Calibration with { Symmetric = ActivationsSymmetric };

    public QuantizationOptions Validate()
    {
        if (!Enum.IsDefined(Scheme))
            throw new ArgumentOutOfRangeException(nameof(Scheme), Scheme, "Quantization scheme must be S8S8 or U8S8.");
        ArgumentNullException.ThrowIfNull(Calibration, nameof(Calibration));
        Calibration.Validate();
        ArgumentNullException.ThrowIfNull(ExcludedNodeNames, nameof(ExcludedNodeNames));
        ArgumentNullException.ThrowIfNull(ExcludedOpTypes, nameof(ExcludedOpTypes));
        if (ExcludedNodeNames.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("An excluded node name is empty; list node names as they appear in the ONNX graph.", nameof(ExcludedNodeNames));
        if (ExcludedOpTypes.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("An excluded op type is empty; use ONNX op type names such as \"Conv\".", nameof(ExcludedOpTypes));
        return this;
    }

    public bool IsExcluded(global::Onnx.NodeProto node) =>
        ExcludedNodeNames.Contains(node.Name) || ExcludedOpTypes.Contains(node.OpType);
}

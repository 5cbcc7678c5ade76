namespace MLRFNet.Onnx.Quantization;

/// <summary>
/// The runtime an INT8 model is made for (<c>mlrfnet quantize --target</c>). It picks the default
/// <see cref="QuantizationScheme"/>, because the fast scheme differs between runtimes: a model in the wrong one runs
/// slower than FP32 (ORT's CPU provider) or is refused (TensorRT).
/// </summary>
public enum QuantizationTarget
{
    /// <summary>ONNX Runtime's CPU execution provider (the linux-x64-cpu clinic box). Default scheme U8S8.</summary>
    Cpu,

    /// <summary>ONNX Runtime's TensorRT execution provider (CUDA boxes, Jetson). Default and only scheme S8S8.</summary>
    TensorRt,

    /// <summary>
    /// A CUDA box (linux-x64-cuda profile): the service prefers TensorRT there, and TensorRT's are the INT8 kernels on
    /// an NVIDIA GPU (the CUDA provider alone runs a QDQ model as float between (de)quantizations), so S8S8 as for
    /// <see cref="TensorRt"/>.
    /// </summary>
    Cuda,
}

public static class QuantizationTargets
{
    /// <summary>The <c>--target</c> names, in the order the help lists them.</summary>
    public static IReadOnlyDictionary<string, QuantizationTarget> ByName { get; } =
        new Dictionary<string, QuantizationTarget>(StringComparer.OrdinalIgnoreCase)
        {
            ["cpu"] = QuantizationTarget.Cpu,
            ["tensorrt"] = QuantizationTarget.TensorRt,
            ["cuda"] = QuantizationTarget.Cuda,
        };

    public static string Name(this QuantizationTarget target) => target switch
    {
        QuantizationTarget.Cpu => "cpu",
        QuantizationTarget.TensorRt => "tensorrt",
        QuantizationTarget.Cuda => "cuda",
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown quantization target."),
    };

    /// <summary>
    /// The scheme that runs fastest on <paramref name="target"/>: U8S8 for ORT's CPU provider, which fuses every
    /// DQ -> Conv -> Q of a U8S8 model into QLinearConv on its uint8 x int8 kernels (an S8S8 model is only partly
    /// fused on x86 and ran slower than FP32 there, issue 18); S8S8 with symmetric ranges for TensorRT, which
    /// accepts nothing else.
    /// </summary>
    public static QuantizationScheme DefaultScheme(this QuantizationTarget target) => target switch
    {
        QuantizationTarget.Cpu => QuantizationScheme.U8S8,
        QuantizationTarget.TensorRt or QuantizationTarget.Cuda => QuantizationScheme.S8S8,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown quantization target."),
    };

    /// <summary>Why <paramref name="scheme"/> cannot run on <paramref name="target"/>, or null when it can.</summary>
    public static string? Incompatibility(this QuantizationTarget target, QuantizationScheme scheme) => (target, scheme) switch
    {
        (QuantizationTarget.TensorRt or QuantizationTarget.Cuda, QuantizationScheme.U8S8) =>
            $"--target {target.Name()}: TensorRT takes only int8 activations with symmetric ranges (zero point 0), not U8S8; use --scheme s8s8 or leave --scheme out",
        _ => null,
    };

    /// <summary>The sentence <c>mlrfnet quantize</c> prints about the scheme it uses.</summary>
    public static string Explain(this QuantizationTarget target, QuantizationScheme scheme, bool schemeGiven) => target switch
    {
        _ when schemeGiven && scheme != target.DefaultScheme() =>
            $"{scheme} (--scheme; the default for --target {target.Name()} is {target.DefaultScheme()})",
        QuantizationTarget.Cpu => $"{scheme} for --target cpu: ONNX Runtime's CPU provider fuses it into QLinearConv",
        _ => $"{scheme} for --target {target.Name()}: symmetric int8, what TensorRT takes",
    };

    /// <summary>The manifest's record of the scheme and the target, e.g. "U8S8, target cpu".</summary>
    public static string ManifestRecord(this QuantizationTarget target, QuantizationScheme scheme) => $"{scheme}, target {target.Name()}";
}

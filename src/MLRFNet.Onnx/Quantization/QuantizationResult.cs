using MLRFNet.Onnx.Quantization.Calibration;
using Onnx;

namespace MLRFNet.Onnx.Quantization;

/// <summary>The QDQ model and what was done to make it.</summary>
public sealed record QuantizationResult
{
    public required ModelProto Model { get; init; }
    public required QuantizationOptions Options { get; init; }

    /// <summary>Calibrated float range of each activation with its own parameters.</summary>
    public required IReadOnlyDictionary<string, TensorRange> Ranges { get; init; }

    /// <summary>Scale and zero point of each quantized activation (shared ones repeat their provider's).</summary>
    public required IReadOnlyDictionary<string, ScaleZeroPoint> ActivationParameters { get; init; }

    /// <summary>Nodes with at least one tensor quantized for them.</summary>
    public required IReadOnlyList<string> QuantizedNodes { get; init; }

    /// <summary>Relu/Clip nodes removed because their producer's quantization clips instead (U8S8).</summary>
    public required IReadOnlyList<string> FusedNodes { get; init; }

    /// <summary>Nodes left float: excluded by the options, or of an op type the registry does not quantize.</summary>
    public required IReadOnlyList<string> FloatNodes { get; init; }

    /// <summary>Calibration batches run (0 when every range came from a cache).</summary>
    public int CalibrationBatches { get; init; }
}

using MLRFNet.Core.Manifest;
using MLRFNet.Imaging.Datasets;
using MLRFNet.Onnx.Qa;
using MLRFNet.Onnx.Quantization.Calibration;

namespace MLRFNet.Onnx.Quantization.Jobs;

/// <summary>What <see cref="QuantizeJob"/> makes: an FP16 or INT8 copy of an exported FP32 model, with its manifest.</summary>
public sealed record QuantizeJobOptions
{
    /// <summary>The FP32 ONNX file written by <c>mlrfnet export</c>, its manifest beside it.</summary>
    public required string ModelPath { get; init; }

    /// <summary>The file to write (.onnx, must not exist); the manifest goes beside it.</summary>
    public required string OutputPath { get; init; }

    /// <summary><see cref="ModelPrecision.Fp16"/> or <see cref="ModelPrecision.Int8"/>.</summary>
    public required ModelPrecision Precision { get; init; }

    /// <summary>Op types kept in float (FP16 adds them to <c>Float16BlockList.DefaultOpTypes</c>).</summary>
    public IReadOnlyList<string> ExcludedOpTypes { get; init; } = [];

    /// <summary>Node names kept in float, as in the ONNX graph.</summary>
    public IReadOnlyList<string> ExcludedNodes { get; init; } = [];

    /// <summary>Keep every convolution that reads the image (the stem) in float (<see cref="SensitiveLayers"/>).</summary>
    public bool FloatInputConvolution { get; init; }

    /// <summary>INT8 settings; required for <see cref="ModelPrecision.Int8"/>, refused for FP16.</summary>
    public Int8JobOptions? Int8 { get; init; }
}

/// <summary>Static QDQ quantization calibrated on labelled images through the model's own preprocessing.</summary>
public sealed record Int8JobOptions
{
    /// <summary>Calibration images (a few hundred of the training data).</summary>
    public required XrayDataset Calibration { get; init; }

    /// <summary>The calibration set's name for the manifest (the labels file's name, never a local path).</summary>
    public required string CalibrationName { get; init; }

    public QuantizationTarget Target { get; init; } = QuantizationTarget.Cpu;

    /// <summary>Overrides the <see cref="Target"/>'s scheme; null takes its default.</summary>
    public QuantizationScheme? Scheme { get; init; }

    public CalibrationOptions Ranges { get; init; } = new();

    /// <summary>Calibration images used, spread evenly over the set.</summary>
    public int MaxCalibrationImages { get; init; } = 256;

    /// <summary>Images per calibration run (every intermediate tensor is kept for a batch: keep it small).</summary>
    public int CalibrationBatchSize { get; init; } = 4;

    /// <summary>Preprocessed-image cache folder; null takes <see cref="DatasetTensors.DefaultCacheFolder"/>.</summary>
    public string? CacheFolder { get; init; }

    /// <summary>Rank the activations by SQNR and write them to <see cref="SqnrReportJson.PathFor"/>.</summary>
    public bool Debug { get; init; }

    /// <summary>Accuracy-aware fallback; null quantizes once.</summary>
    public FallbackJobOptions? Fallback { get; init; }
}

/// <summary>While the QA gate fails on <see cref="GateImages"/>, keep the worst layer in float and quantize again.</summary>
public sealed record FallbackJobOptions
{
    /// <summary>Held-out labelled images (not the calibration ones).</summary>
    public required XrayDataset GateImages { get; init; }

    public required string GateImagesName { get; init; }

    public GateThresholdOverrides Thresholds { get; init; } = new();

    /// <summary>Most layers kept in float before giving up.</summary>
    public int MaxFloatNodes { get; init; } = 8;
}

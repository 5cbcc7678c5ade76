using System.Text.Json.Serialization;
using MLRFNet.Core.Manifest;
using MLRFNet.Core.Metrics;
using MLRFNet.Core.Preprocessing;

namespace MLRFNet.Core.Json;

/// <summary>Source-generated JSON for the shared contracts, so every consumer trims and compiles AOT cleanly.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(PreprocessingSpec))]
[JsonSerializable(typeof(ModelManifest))]
[JsonSerializable(typeof(MultilabelEvaluation))]
[JsonSerializable(typeof(PairedComparison))]
[JsonSerializable(typeof(AucResult))]
[JsonSerializable(typeof(RocCurve))]
[JsonSerializable(typeof(ThresholdMetrics))]
[JsonSerializable(typeof(YoudenThreshold))]
[JsonSerializable(typeof(BootstrapInterval))]
[JsonSerializable(typeof(DeLongResult))]
public sealed partial class CoreJsonContext : JsonSerializerContext;

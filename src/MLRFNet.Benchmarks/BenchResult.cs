using System.Text.Json.Serialization;

namespace MLRFNet.Benchmarks;

/// <summary>An engine's timings with the figures derived from them.</summary>
/// <param name="SpeedupBatch1">TorchSharp eager FP32 median batch-1 latency over this engine's (1.0 for TorchSharp itself; null when TorchSharp was not timed).</param>
/// <param name="GflopsBatch1">Effective GFLOP/s: 2 × MACs per image / median batch-1 latency (FP32-equivalent work for FP16/INT8).</param>
/// <param name="PeakFractionBatch1"><see cref="GflopsBatch1"/> over the matmul probe's median GFLOP/s of the same run.</param>
public sealed record EngineRow(
    EngineTimings Timings, double? SpeedupBatch1, double? SpeedupBatchN,
    double GflopsBatch1, double PeakFractionBatch1, double GflopsBatchN, double PeakFractionBatchN);

/// <summary>A service run with the in-process ORT latency of the same model.</summary>
/// <param name="OrtBatch1Ms">Median batch-1 latency of the same ONNX file in-process (pure inference).</param>
/// <param name="Overhead">(per-image wall time − <see cref="OrtBatch1Ms"/>) / <see cref="OrtBatch1Ms"/>.</param>
public sealed record EdgeRow(EdgeRun Run, double? OrtBatch1Ms, double? Overhead);

/// <summary>One target of issue 8 and whether this run met it (null: not measured in this run).</summary>
public sealed record TargetCheck(string Target, string Measured, bool? Met, string? Note = null);

/// <summary>Everything one <c>mlrfnet-bench</c> run measured (written as <c>bench.json</c>).</summary>
public sealed record BenchResult
{
    public int SchemaVersion { get; init; } = 1;
    public required DateTimeOffset CreatedUtc { get; init; }
    public required string CommandLine { get; init; }
    public required string Checkpoint { get; init; }
    public required string CheckpointSha256 { get; init; }
    public required string Variant { get; init; }
    public required int Classes { get; init; }
    public required int InputSize { get; init; }

    /// <summary>Conv + linear multiply-accumulates per image (<c>ModelCost.Measure</c>).</summary>
    public required long MultiplyAccumulates { get; init; }

    public required int Threads { get; init; }
    public required int Repetitions { get; init; }
    public required int Warmup { get; init; }
    public required int ThroughputBatch { get; init; }
    public required IReadOnlyList<BenchModel> Models { get; init; }
    public required MachineDescription Machine { get; init; }
    public required MatmulTimings Matmul { get; init; }
    public required IReadOnlyList<EngineRow> Engines { get; init; }
    public required IReadOnlyList<EdgeRow> Edge { get; init; }
    /// <summary>Scoring throughput with the clinic console idle and busy (null: not run).</summary>
    public ConsoleLoadRun? ConsoleLoad { get; init; }

    public required IReadOnlyList<TargetCheck> Targets { get; init; }
    public required double ElapsedSeconds { get; init; }
}

[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(BenchResult))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;

using System.Diagnostics;
using System.Text.Json;
using MLRFNet.Core.Manifest;
using MLRFNet.Export.Graph;
using MLRFNet.Training.Checkpoints;

namespace MLRFNet.Export;

/// <summary>Options of <see cref="CheckpointExporter.Export"/>.</summary>
public sealed record ExportOptions
{
    /// <summary>Manifest model name; default: the ONNX file name without extension.</summary>
    public string? ModelName { get; init; }

    /// <summary>Manifest model version; default: the first 12 hex digits of the checkpoint's SHA-256.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>Clock for the export time (metadata and manifest).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>What an export wrote.</summary>
public sealed record ExportResult(
    string OnnxPath, string ManifestPath, ModelManifest Manifest, OnnxModelMetadata Metadata, long OnnxBytes,
    int Nodes, int Initializers, TimeSpan Elapsed);

/// <summary>
/// <c>mlrfnet export</c>: a checkpoint (<see cref="CheckpointFile"/>) → an FP32 ONNX file and its
/// <see cref="ModelManifest"/> beside it. Everything the ONNX file and manifest say about labels, preprocessing,
/// variant and loss comes from the checkpoint's config; nothing is re-typed.
/// </summary>
public static class CheckpointExporter
{
    public static ExportResult Export(string checkpointPath, string onnxPath, ExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxPath);
        options ??= new ExportOptions();
        if (!File.Exists(checkpointPath)) throw new FileNotFoundException($"Checkpoint '{checkpointPath}' does not exist.", checkpointPath);
        if (!onnxPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Output '{onnxPath}' should end in .onnx (its manifest is written beside it as <name>.manifest.json).");
        var clock = Stopwatch.StartNew();

        var checkpointSha = ModelManifest.Sha256OfFile(checkpointPath);
        var (model, config) = CheckpointFile.Load(checkpointPath);
        OnnxModelMetadata metadata;
        int nodes, initializers;
        using (model)
        {
            metadata = MetadataFor(config, checkpointSha, options.TimeProvider.GetUtcNow());
            var proto = MLRFNetOnnxExporter.Build(model, metadata).Build();
            (nodes, initializers) = (proto.Graph.Node.Count, proto.Graph.Initializer.Count);
            OnnxGraphBuilder.Save(proto, onnxPath);
        }

        var manifest = new ModelManifest
        {
            ModelName = options.ModelName ?? Path.GetFileNameWithoutExtension(onnxPath),
            ModelVersion = options.ModelVersion ?? checkpointSha[..12],
            Architecture = config.Variant.Name,
            Precision = ModelPrecision.Fp32,
            LabelSetName = config.LabelSet.Name,
            Labels = [.. config.LabelSet.Labels],
            Preprocessing = config.Preprocessing,
            // NOTE: checkpoints carry no decision thresholds yet (CheckpointConfig has none), so the manifest says
            // null (0.5 per class); once `mlrfnet train` stores tuned thresholds, copy them here.
            Thresholds = null,
            OnnxSha256 = ModelManifest.Sha256OfFile(onnxPath),
            SourceCheckpoint = Path.GetFileName(checkpointPath),
            SourceCheckpointSha256 = checkpointSha,
            CreatedUtc = metadata.ExportedUtc,
        }.Validate();
        var manifestPath = ModelManifest.ManifestPathFor(onnxPath);
        manifest.Save(manifestPath);
        return new ExportResult(Path.GetFullPath(onnxPath), manifestPath, manifest, metadata, new FileInfo(onnxPath).Length,
            nodes, initializers, clock.Elapsed);
    }

    /// <summary>The ONNX metadata of a checkpoint: labels, preprocessing, variant (name and record), loss, SHA-256, time.</summary>
    public static OnnxModelMetadata MetadataFor(CheckpointConfig config, string? checkpointSha256, DateTimeOffset exportedUtc)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new OnnxModelMetadata
        {
            LabelSet = config.LabelSet,
            Preprocessing = config.Preprocessing,
            Variant = config.Variant.Name,
            VariantConfigJson = JsonSerializer.Serialize(config.Variant, TrainingJsonContext.Default.ModelVariant),
            LossJson = JsonSerializer.Serialize(config.Loss, TrainingJsonContext.Default.LossSettings),
            SourceCheckpointSha256 = checkpointSha256,
            ExportedUtc = exportedUtc,
        };
    }
}

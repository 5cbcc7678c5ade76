using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using MLRFNet.Core.Labels;
using MLRFNet.Core.Manifest;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Inference;
using MLRFNet.Export;
using MLRFNet.Export.Tests.Support;
using MLRFNet.Training.Checkpoints;
using MLRFNet.Training.Losses;
using MLRFNet.Training.Models;
using Xunit.Abstractions;

namespace MLRFNet.Export.Tests.Export;

/// <summary>
/// A checkpoint saved by <see cref="CheckpointFile"/> (as <c>mlrfnet train</c> saves them) exports without manual
/// steps; the ONNX metadata and the manifest carry the checkpoint's labels, preprocessing, variant and loss; the
/// product's scorer loads the pair and reproduces the checkpoint's model.
/// </summary>
public sealed class CheckpointExporterTests(ITestOutputHelper output) : IDisposable
{
    private static readonly DateTimeOffset ExportTime = new(2025, 6, 7, 8, 9, 10, TimeSpan.Zero);
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("mlrfnet-export-");

    // Deliberately not the variant's defaults: a crop of 160 and other statistics prove the export takes the
    // checkpoint's preprocessing instead of a hard-coded 224 / ImageNet mean.
    private static readonly PreprocessingSpec Preprocessing = new()
    {
        ResizeSize = 180, CropSize = 160, Mean = [0.5f, 0.45f, 0.4f], Std = [0.25f, 0.24f, 0.23f],
    };

    private string SaveTinyCheckpoint(PreprocessingSpec preprocessing, LabelSet labels)
    {
        using var model = RandomModels.Create("mlrfnet-tiny", labels.Count, seed: 51);
        var path = Path.Combine(dir.FullName, "tiny.ckpt");
        CheckpointFile.Save(path, model, CheckpointConfig.For(model, labels, LossSettings.LinFocal, preprocessing));
        return path;
    }

    private static ExportOptions At(DateTimeOffset time) => new() { TimeProvider = new FixedTime(time) };

    [Fact]
    public void Manifest_and_onnx_metadata_carry_the_checkpoints_labels_preprocessing_variant_and_loss()
    {
        var checkpoint = SaveTinyCheckpoint(Preprocessing, LabelSets.CheXpertCompetition);
        var onnxPath = Path.Combine(dir.FullName, "tiny.onnx");
        var result = CheckpointExporter.Export(checkpoint, onnxPath, At(ExportTime));
        var config = CheckpointFile.ReadConfig(checkpoint);

        // Manifest: read back from disk, compared with the checkpoint config and with hashes computed here.
        Assert.Equal(Path.Combine(dir.FullName, "tiny.manifest.json"), result.ManifestPath);
        var manifest = ModelManifest.Load(result.ManifestPath);
        Assert.Equal(config.LabelSet, manifest.LabelSet);
        Assert.Equal(config.Preprocessing, manifest.Preprocessing);
        Assert.Equal("mlrfnet-tiny", manifest.Architecture);
        Assert.Equal(ModelPrecision.Fp32, manifest.Precision);
        Assert.Null(manifest.Thresholds);
        Assert.Equal(Sha256(onnxPath), manifest.OnnxSha256);
        Assert.Equal(Sha256(checkpoint), manifest.SourceCheckpointSha256);
        Assert.Equal("tiny.ckpt", manifest.SourceCheckpoint);
        Assert.Equal("tiny", manifest.ModelName);
        Assert.Equal(Sha256(checkpoint)[..12], manifest.ModelVersion);
        Assert.Equal(ExportTime, manifest.CreatedUtc);

        // ONNX metadata, read the way a consumer reads it: through ONNX Runtime's ModelMetadata.
        using var session = new InferenceSession(onnxPath);
        var meta = session.ModelMetadata;
        var metadata = OnnxModelMetadata.FromProperties(meta.CustomMetadataMap);
        Assert.Equal(config.LabelSet, metadata.LabelSet);
        Assert.Equal(config.Preprocessing, metadata.Preprocessing);
        Assert.Equal("mlrfnet-tiny", metadata.Variant);
        Assert.Equal(config.Variant, JsonSerializer.Deserialize(metadata.VariantConfigJson!, TrainingJsonContext.Default.ModelVariant));
        Assert.Equal(LossSettings.LinFocal, JsonSerializer.Deserialize(metadata.LossJson!, TrainingJsonContext.Default.LossSettings));
        Assert.Equal(Sha256(checkpoint), metadata.SourceCheckpointSha256);
        Assert.Equal(ExportTime, metadata.ExportedUtc);
        Assert.Equal(MLRFNetOnnxExporter.ProducerName, meta.ProducerName);
        Assert.Contains(Sha256(checkpoint), meta.Description);

        // I/O from the checkpoint's preprocessing: crop 160 → maps 20, 10, 5; 5 labels.
        Assert.Equal([-1, 3, 160, 160], session.InputMetadata["image"].Dimensions);
        Assert.Equal([-1, 5], session.OutputMetadata["logits"].Dimensions);
        Assert.Equal([-1, 5, 20, 20], session.OutputMetadata["class_map_u2"].Dimensions);
        Assert.Equal([-1, 5, 5, 5], session.OutputMetadata["class_map_u4"].Dimensions);
        output.WriteLine($"tiny export: {result.OnnxBytes} bytes, {result.Nodes} nodes, {result.Initializers} initializers, {result.Elapsed.TotalSeconds:F2} s");
    }

    [Fact]
    public void Scorer_loads_the_export_with_its_manifest_and_reproduces_the_checkpoint_at_batch_1_and_8()
    {
        var checkpoint = SaveTinyCheckpoint(Preprocessing, LabelSets.ChestXray14);
        var onnxPath = Path.Combine(dir.FullName, "tiny.onnx");
        CheckpointExporter.Export(checkpoint, onnxPath, At(ExportTime));

        using var one = new OnnxXrayScorer(onnxPath, new XrayScorerOptions { BatchSize = 1 });
        using var eight = new OnnxXrayScorer(onnxPath, new XrayScorerOptions { BatchSize = 8 });
        // The inputs are preprocessed with the spec the scorer read from the manifest, not with one typed here.
        var spec = one.Manifest.Preprocessing;
        Assert.Equal(Preprocessing, spec);
        var images = TestImages.Phantoms(8, spec);
        var length = spec.Channels * spec.CropSize * spec.CropSize;
        var inputs = Enumerable.Range(0, 8).Select(n => TestImages.Image(images, n, length)).ToArray();

        var (model, _) = CheckpointFile.Load(checkpoint);
        using (model)
        {
            var reference = TorchReference.Run(model, images, 8, spec.Channels, spec.CropSize);
            var batched = eight.Score(inputs, includeClassMaps: true);
            var single = inputs.Select(x => one.Score([x], includeClassMaps: true)[0]).ToArray();
            Assert.Equal(["class_map_u2", "class_map_u3", "class_map_u4"], one.ClassMapNames);

            var ort = new Dictionary<string, (float[], long[])>
            {
                ["logits"] = (batched.SelectMany(r => r.Logits).ToArray(), [8, 14]),
                ["probabilities"] = (batched.SelectMany(r => r.Probabilities).ToArray(), [8, 14]),
            };
            for (var m = 0; m < 3; m++)
            {
                var map = batched[0].ClassMaps![m];
                ort[map.Name] = (batched.SelectMany(r => r.ClassMaps![m].Values).ToArray(), [8, 14, map.Height, map.Width]);
            }
            var parity = Parity.Of(ort, reference, one.ClassMapNames);
            var batchAgreement = Enumerable.Range(0, 8).Max(n => Math.Max(
                OrtRunner.MaxAbsDifference(single[n].Probabilities, batched[n].Probabilities),
                OrtRunner.MaxAbsDifference(single[n].Logits, batched[n].Logits)));
            output.WriteLine($"checkpoint → export → scorer, 8 phantoms at crop 160: {parity}; batch 1 vs 8: {batchAgreement:E2}");
            parity.AssertWithinTolerance();
            Assert.InRange(batchAgreement, 0, 1e-5);
        }
    }

    [Fact]
    public void An_r18_checkpoint_with_its_onnx_import_preprocessing_exports_and_scores_like_the_model()
    {
        // Shaped like a checkpoint made by the ResNet-18 ONNX import (PretrainedFrom set, BGR 0-255 minus the mean
        // image's channel means, no division), with random weights: the real import is tested in MLRFNet.Training.Tests.
        using var model = RandomModels.Create("mlrfnet-r18", 14, seed: 52);
        var checkpoint = Path.Combine(dir.FullName, "r18.ckpt");
        CheckpointFile.Save(checkpoint, model,
            CheckpointConfig.For(model, LabelSets.ChestXray14, LossSettings.PaperBiasedFocal) with { PretrainedFrom = "ResNet18.onnx" });
        var onnxPath = Path.Combine(dir.FullName, "r18.onnx");
        CheckpointExporter.Export(checkpoint, onnxPath, At(ExportTime));

        using var scorer = new OnnxXrayScorer(onnxPath);
        var spec = scorer.Manifest.Preprocessing;
        Assert.Equal(ModelVariants.ResNet18OnnxPreprocessing, spec);
        var images = TestImages.Phantoms(2, spec, first: 3);
        var reference = TorchReference.Run(model, images, 2);
        var scored = scorer.Score([TestImages.Image(images, 0), TestImages.Image(images, 1)]);
        var difference = Math.Max(OrtRunner.MaxAbsDifference(scored[0].Probabilities, reference.Probabilities[..14]),
            OrtRunner.MaxAbsDifference(scored[1].Probabilities, reference.Probabilities[14..]));
        output.WriteLine($"mlrfnet-r18 checkpoint → export → scorer, 2 phantoms: max |probability diff| {difference:E2}");
        Assert.InRange(difference, 0, Parity.Tolerance);
    }

    [Fact]
    public void Refuses_a_missing_checkpoint_a_non_onnx_output_and_a_preprocessing_the_model_cannot_take()
    {
        var missing = Path.Combine(dir.FullName, "none.ckpt");
        Assert.Contains("does not exist", Assert.Throws<FileNotFoundException>(() =>
            CheckpointExporter.Export(missing, Path.Combine(dir.FullName, "m.onnx"))).Message);

        var checkpoint = SaveTinyCheckpoint(Preprocessing, LabelSets.ChestXray14);
        Assert.Contains("should end in .onnx", Assert.Throws<ArgumentException>(() =>
            CheckpointExporter.Export(checkpoint, Path.Combine(dir.FullName, "m.bin"))).Message);

        // One-channel preprocessing for a 3-channel stem: refused with both numbers, nothing written.
        var gray = SaveTinyCheckpoint(Preprocessing with { Channels = 1, Mean = [0.5f], Std = [0.25f] }, LabelSets.ChestXray14);
        var e = Assert.Throws<ArgumentException>(() => CheckpointExporter.Export(gray, Path.Combine(dir.FullName, "gray.onnx")));
        Assert.Contains("1-channel images but the model's stem takes 3", e.Message);
        Assert.False(File.Exists(Path.Combine(dir.FullName, "gray.onnx")));
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    public void Dispose() => dir.Delete(recursive: true);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

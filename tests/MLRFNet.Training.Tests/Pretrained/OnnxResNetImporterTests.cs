using System.Security.Cryptography;
using MLRFNet.Training.Models;
using MLRFNet.Training.Models.Backbones;
using MLRFNet.Training.Pretrained;
using MLRFNet.Training.Tests.TestSupport;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLRFNet.Training.Tests.Pretrained;

public sealed class OnnxResNetImporterTests(ITestOutputHelper output)
{
    // resnet18_onnx_reference.json/.pt (make_resnet18_onnx_reference.py): the ONNX graph executed node by node with
    // torch ops from its own attributes (asymmetric pads included) on 60 x formula input.
    private static readonly System.Text.Json.JsonElement Info = Fixture.Json("resnet18_onnx_reference.json");

    [SkippableFact]
    public void ImportedBackbone_ReproducesTheOnnxGraphsFeatures()
    {
        var path = ResNet18Package.Model;
        Assert.Equal(Info.GetProperty("resnet18_onnx_sha256").GetString(), Sha256(path));
        var expected = Fixture.Tensors("resnet18_onnx_reference.pt");
        using var backbone = new ResNetBackbone(ModelVariants.Get("mlrfnet-r18").Backbone);
        var report = OnnxResNetImporter.Import(backbone, path);
        output.WriteLine(report.Describe());

        // 22 Conv weights + 22 BN x (scale, B, mean, var) = 110 tensors, every initializer of the graph.
        Assert.Equal(110, report.Loaded.Count);
        Assert.Equal(22, report.Loaded.Count(t => t.TargetKey.EndsWith(".weight", StringComparison.Ordinal) && t.Shape.Count == 4));
        Assert.Contains(report.Loaded, t => t.SourceName == "Parameter91" && t.TargetKey == "conv1.weight");
        Assert.True(report.IsComplete);

        backbone.eval();
        using var noGrad = no_grad();
        var scale = Info.GetProperty("input_scale").GetDouble();
        using var x = FormulaWeights.Input(1, 3, 96, 96) * scale;
        using var features = backbone.call(x);
        string[] names = ["u2", "u3", "u4"];
        for (var i = 0; i < 3; i++)
        {
            var reference = expected[names[i]];
            using var refMax = reference.abs().max();
            var diff = Fixture.MaxAbsDiff(features.Levels[i], reference);
            output.WriteLine($"ONNX ResNet-18 {names[i]} [{string.Join("x", reference.shape)}]: max abs diff {diff:E2} (max |value| {refMax.item<float>():F2})");
            Assert.True(diff < 1e-5 * Math.Max(1, refMax.item<float>()), $"{names[i]} max abs diff {diff}");
        }

        // At the graph's own 224x224 input: its output is the 7x7 average of U4.
        using var x224 = FormulaWeights.Input(1, 3, 224, 224) * scale;
        using var f224 = backbone.call(x224);
        using var pooled = f224.U4.mean([2, 3]);
        var pooledDiff = Fixture.MaxAbsDiff(pooled, expected["pooled224"]);
        output.WriteLine($"ONNX ResNet-18 pooled 512 at 224x224: max abs diff {pooledDiff:E2}");
        Assert.True(pooledDiff < 1e-4, $"pooled max abs diff {pooledDiff}");
    }

    [SkippableFact]
    public void PreprocessingRecord_IsTheMeanImagesChannelMeans()
    {
        var path = ResNet18Package.Preprocess;
        var means = OnnxResNetImporter.MeanImageChannelMeans(path);
        var reference = Info.GetProperty("mean_image_channel_means_bgr").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var record = ModelVariants.Get("mlrfnet-r18").Preprocessing;
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(reference[c], means[c], 3);
            Assert.Equal(reference[c], record.Mean[c], 3);
        }
        Assert.Equal(1f, record.PixelScale);
        Assert.Equal([1f, 1f, 1f], record.Std);
    }

    [SkippableFact]
    public void PretrainedImport_OnAResNet50Variant_IsRefusedWithAReason()
    {
        var path = ResNet18Package.Model;
        using var model = new MLRFNetModel(ModelVariants.Get("resnet50-mrfc"), 2);
        var e = Assert.Throws<PretrainedImportException>(() => PretrainedImport.Import(model, path));
        Assert.Contains("22 Conv", e.Message);
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

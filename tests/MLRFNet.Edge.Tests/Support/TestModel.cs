using System.Security.Cryptography;
using MLRFNet.Core.Manifest;
using MLRFNet.Core.Preprocessing;

namespace MLRFNet.Edge.Tests.Support;

/// <summary>A model file (arbitrary bytes: the fake scorer never reads it) with a manifest that matches it.</summary>
internal static class TestModel
{
    public static readonly string[] Labels = ["Effusion", "Cardiomegaly", "Nodule"];

    // Effusion flags easily, Nodule never (threshold above any sigmoid of the fake's logits).
    public static readonly float[] Thresholds = [0.5f, 0.6f, 0.999f];

    public static ModelManifest Manifest(string sha256, ModelPrecision precision = ModelPrecision.Fp32, QaResult? qa = null) => new()
    {
        ModelName = "fake-mlrfnet",
        ModelVersion = "test-1",
        Architecture = "fake",
        Precision = precision,
        LabelSetName = "test3",
        Labels = Labels,
        Preprocessing = PreprocessingSpec.ImageNet,
        Thresholds = Thresholds,
        OnnxSha256 = sha256,
        Qa = qa,
    };

    /// <summary>Writes <c>model.onnx</c> and its manifest into <paramref name="folder"/>; returns the model path.</summary>
    public static string Write(string folder, ModelPrecision precision = ModelPrecision.Fp32, QaResult? qa = null, string? wrongSha = null)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "model.onnx");
        var bytes = new byte[1024];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Manifest(wrongSha ?? sha, precision, qa).Save(ModelManifest.ManifestPathFor(path));
        return path;
    }
}

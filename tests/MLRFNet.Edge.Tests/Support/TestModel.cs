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
        ReferenceModelSha256 = precision == ModelPrecision.Fp32 ? null : ReferenceSha256,
        Qa = qa,
    };

    /// <summary>
    /// Writes <c>model.onnx</c> and its manifest into <paramref name="folder"/>, the manifest signed by
    /// <paramref name="signedBy"/> (default <see cref="TestKeys.Trusted"/>; <paramref name="unsigned"/> leaves it
    /// unsigned); returns the model path. <paramref name="seed"/> varies the model bytes (two different models).
    /// </summary>
    public static string Write(string folder, ModelPrecision precision = ModelPrecision.Fp32, QaResult? qa = null, string? wrongSha = null,
        SigningKey? signedBy = null, bool unsigned = false, int seed = 7, string modelVersion = "test-1")
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "model.onnx");
        var bytes = new byte[1024];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var manifest = Manifest(wrongSha ?? sha, precision, qa) with { ModelVersion = modelVersion };
        (unsigned ? manifest : (signedBy ?? TestKeys.Trusted).Sign(manifest)).Save(ModelManifest.ManifestPathFor(path));
        return path;
    }

    /// <summary>A passed, failed or inconclusive QA verdict about a candidate made from <see cref="ReferenceSha256"/>.</summary>
    public static QaResult Qa(QaVerdict verdict) => new()
    {
        Passed = verdict == QaVerdict.Passed, Verdict = verdict, ReferenceSha256 = ReferenceSha256, EvaluationData = "test set, 100 images",
        MeanAucDrop = verdict == QaVerdict.Failed ? 0.03 : 0.001, MaxMeanAucDrop = 0.005, WorstClass = "Nodule", WorstClassAucDrop = 0.02,
        MaxClassAucDrop = 0.01, Reasons = verdict == QaVerdict.Passed ? null : ["test reason"],
    };

    public static readonly string ReferenceSha256 = new('f', 64);
}

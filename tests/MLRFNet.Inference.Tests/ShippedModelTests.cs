using MLRFNet.Core.Labels;
using MLRFNet.Core.Manifest;
using MLRFNet.Tests;

namespace MLRFNet.Inference.Tests;

/// <summary>
/// The models committed in models/: what the edge service will be given on a fresh clone. Catches a model file
/// committed without re-writing its manifest (SHA mismatch: the service refuses to start), an FP16/INT8 manifest
/// whose QA record is missing or was run against another FP32 file, a manifest not signed by the shipped demo key
/// (or edited after signing), a machine path in a manifest, and a default model the service would refuse.
/// </summary>
public sealed class ShippedModelTests
{
    private static string Models => Path.Combine(SharedData.RepoRoot, "models");

    public static TheoryData<string> Files => new() { "chestxray14-demo.onnx", "chestxray14-demo.fp16.onnx", "chestxray14-demo.int8.onnx" };

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_shipped_model_matches_its_manifest_and_names_its_QA(string file)
    {
        var path = Path.Combine(Models, file);
        var manifest = ModelManifest.Load(ModelManifest.ManifestPathFor(path));
        Assert.Equal(manifest.OnnxSha256, ModelManifest.Sha256OfFile(path));
        Assert.Equal(LabelSets.ChestXray14.Labels, manifest.Labels);
        Assert.Equal(manifest.Labels.Length, manifest.Thresholds!.Length);
        var reference = ModelManifest.Load(ModelManifest.ManifestPathFor(Path.Combine(Models, "chestxray14-demo.onnx")));
        Assert.Equal(SignatureStatus.Valid, TrustedKeys.Load(TrustedFolder).Check(manifest));
        // Data sets by name and fingerprint, never by a path of the machine that made the model.
        foreach (var text in new[] { manifest.TrainingData, manifest.CalibrationData, manifest.SourceCheckpoint, manifest.ThresholdsChosenOn?.Name, manifest.Qa?.EvaluationData, manifest.Qa?.EvaluationSet?.Name })
            Assert.False(text is not null && (text.Contains('/') || text.Contains('\\')), $"'{text}' in {file}'s manifest looks like a path");
        if (manifest.Precision == ModelPrecision.Fp32)
        {
            Assert.Null(manifest.Qa);
            return;
        }
        // A reduced-precision model carries the gate's verdict, passed or not, against the FP32 file shipped beside it.
        Assert.NotNull(manifest.Qa);
        Assert.Equal(reference.OnnxSha256, manifest.ReferenceModelSha256);
        Assert.Equal(reference.OnnxSha256, manifest.Qa!.ReferenceSha256);
        Assert.True(manifest.Qa.Images > 0);
        Assert.NotNull(manifest.Qa.EvaluationSet);
        // models/MODEL_CARD.md: on the 84-image validation split FP16 is judged inconclusive or passed, INT8 not passed.
        if (manifest.Precision == ModelPrecision.Fp16) Assert.Contains(manifest.Qa.EffectiveVerdict, new[] { QaVerdict.Passed, QaVerdict.Inconclusive });
        else Assert.NotEqual(QaVerdict.Passed, manifest.Qa.EffectiveVerdict);
    }

    private static string TrustedFolder => Path.Combine(Models, "keys", "trusted");

    [Fact]
    public void The_demo_signing_key_is_the_one_trusted_and_named_as_a_demonstration()
    {
        var trusted = TrustedKeys.Load(TrustedFolder);
        using var key = SigningKey.Load(Path.Combine(Models, "keys", "demo-signing-key.DEMO-ONLY.pem"));
        Assert.Equal([key.KeyId], trusted.KeyIds);
    }

    [Fact]
    public void The_default_model_of_tools_run_edge_loads_under_the_services_QA_policy()
    {
        var script = File.ReadAllText(Path.Combine(SharedData.RepoRoot, "tools", "run-edge.sh"));
        var match = System.Text.RegularExpressions.Regex.Match(script, @"MODEL:-(?<path>[^}]+)\}");
        Assert.True(match.Success, "tools/run-edge.sh no longer sets a default MODEL");
        var path = Path.Combine(SharedData.RepoRoot, match.Groups["path"].Value);
        var keys = System.Text.RegularExpressions.Regex.Match(script, @"TRUSTED_KEYS:-(?<path>[^}]+)\}");
        Assert.True(keys.Success, "tools/run-edge.sh no longer sets a default TRUSTED_KEYS");
        var policy = new ManifestPolicy { TrustedKeys = TrustedKeys.Load(Path.Combine(SharedData.RepoRoot, keys.Groups["path"].Value)), RequireQaVerdict = true };
        using var scorer = new OnnxXrayScorer(path, new XrayScorerOptions { Policy = policy });
        Assert.Equal(14, scorer.Manifest.Labels.Length);
    }
}

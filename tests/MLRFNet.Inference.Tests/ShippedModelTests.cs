using MLRFNet.Core.Labels;
using MLRFNet.Core.Manifest;
using MLRFNet.Tests;

namespace MLRFNet.Inference.Tests;

/// <summary>
/// The models committed in models/: what the edge service will be given on a fresh clone. Catches a model file
/// committed without re-writing its manifest (SHA mismatch: the service refuses to start), an FP16/INT8 manifest
/// whose QA record is missing or was run against another FP32 file, and a default model the service would refuse.
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
    }

    [Fact]
    public void The_default_model_of_tools_run_edge_loads_under_the_services_QA_policy()
    {
        var script = File.ReadAllText(Path.Combine(SharedData.RepoRoot, "tools", "run-edge.sh"));
        var match = System.Text.RegularExpressions.Regex.Match(script, @"MODEL:-(?<path>[^}]+)\}");
        Assert.True(match.Success, "tools/run-edge.sh no longer sets a default MODEL");
        var path = Path.Combine(SharedData.RepoRoot, match.Groups["path"].Value);
        using var scorer = new OnnxXrayScorer(path, new XrayScorerOptions { QaRequirement = QaRequirement.PassedForReducedPrecision });
        Assert.Equal(14, scorer.Manifest.Labels.Length);
    }
}

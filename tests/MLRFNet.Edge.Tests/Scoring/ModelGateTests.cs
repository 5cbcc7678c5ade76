using MLRFNet.Core.Manifest;
using MLRFNet.Edge.Scoring;
using MLRFNet.Edge.Tests.Support;

namespace MLRFNet.Edge.Tests.Scoring;

/// <summary>The model-safety gate refuses models nobody signed off, with the reason.</summary>
public sealed class ModelGateTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private static QaResult Qa(bool passed) => new()
    {
        Passed = passed, ReferenceSha256 = new string('f', 64), EvaluationData = "nih-sample", MeanAucDrop = passed ? 0.001 : 0.03,
        MaxMeanAucDrop = 0.01, WorstClass = "Hernia", WorstClassAucDrop = 0.05, MaxClassAucDrop = 0.02,
    };

    [Fact]
    public void AMatchingFp32ModelPasses()
    {
        var manifest = ModelGate.Check(TestModel.Write(temp.Path));
        Assert.Equal("fake-mlrfnet", manifest.ModelName);
    }

    [Fact]
    public void AModifiedModelFileIsRefused()
    {
        var path = TestModel.Write(temp.Path);
        using (var stream = File.OpenWrite(path)) stream.WriteByte(0x42); // one byte changed after release
        var e = Assert.Throws<ModelRefusedException>(() => ModelGate.Check(path));
        Assert.Contains("SHA-256", e.Message);
        Assert.Contains("Reinstall", e.Message);
    }

    [Fact]
    public void AModelWhoseQaGateFailedIsRefused()
    {
        var e = Assert.Throws<ModelRefusedException>(() => ModelGate.Check(TestModel.Write(temp.Path, ModelPrecision.Int8, Qa(passed: false))));
        Assert.Contains("failed its QA gate", e.Message);
        Assert.Contains("Hernia", e.Message);
    }

    [Fact]
    public void AQuantizedModelWithoutQaIsRefusedButWithAPassedQaLoads()
    {
        Assert.Throws<ModelRefusedException>(() => ModelGate.Check(TestModel.Write(temp.Path, ModelPrecision.Fp16)));
        Assert.Equal(ModelPrecision.Fp16, ModelGate.Check(TestModel.Write(temp.Path, ModelPrecision.Fp16, Qa(passed: true))).Precision);
    }

    [Fact]
    public void AMissingManifestIsRefused()
    {
        var path = TestModel.Write(temp.Path);
        File.Move(ModelManifest.ManifestPathFor(path), Path.Combine(temp.Path, "elsewhere.json"));
        Assert.Contains("manifest", Assert.Throws<ModelRefusedException>(() => ModelGate.Check(path)).Message);
    }
}

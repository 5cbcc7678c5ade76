using MLRFNet.Training.Models;
using MLRFNet.Training.Pretrained;
using MLRFNet.Training.Tests.TestSupport;
using TorchSharp.PyBridge;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLRFNet.Training.Tests.Pretrained;

public sealed class StateDictImporterTests(ITestOutputHelper output) : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mlrfnet-import-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<string, string, int> FullSize => new()
    {
        // variant, generated checkpoint, backbone entries loaded (fc.weight and fc.bias skipped)
        { "resnet50-mrfc", "resnet50", 318 },
        { "mlrfnet", "res2net50_26w_4s", 510 },
    };

    [SkippableTheory]
    [MemberData(nameof(FullSize))]
    public void ImageNetStyleCheckpoint_LoadsByKeySkippingOnlyFc_AndReproducesPyTorch(string variant, string reference, int entries)
    {
        // Fixtures/generated/*.pt come from make_full_parity.py (100 MB each, not committed): a seeded torchvision
        // resnet50 / timm-layout Res2Net-50 saved with torch.save in zip format, plus their U2-U4 at 224x224.
        var paths = FullParityFixtures.Require($"{reference}_seeded.pt", "full_parity_io.pt");
        var checkpoint = paths[0];
        using var model = new MLRFNetModel(ModelVariants.Get(variant), 14);
        var report = PretrainedImport.Import(model, checkpoint);
        output.WriteLine(report.Summary);
        Assert.Equal(entries, report.Loaded.Count);
        Assert.Equal(["fc.bias", "fc.weight"], report.Skipped);
        Assert.True(report.IsComplete);

        var io = PyTorchUnpickler.UnpickleStateDict(paths[1]);
        model.eval();
        using var noGrad = no_grad();
        using var features = model.Backbone.call((Tensor)io["input"]!);
        string[] names = ["u2", "u3", "u4"];
        for (var i = 0; i < 3; i++)
        {
            var diff = Fixture.MaxAbsDiff(features.Levels[i], (Tensor)io[$"{reference}.{names[i]}"]!);
            output.WriteLine($"{variant} vs PyTorch {reference} {names[i]} at 224x224: max abs diff {diff:E2}");
            Assert.True(diff < 1e-4, $"{names[i]} max abs diff {diff}");
        }
    }

    [Fact]
    public void PartialFile_IsRefusedAndLeavesTheModelUntouched_UnlessAllowed()
    {
        using var source = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), 2);
        var state = source.Backbone.state_dict().Where(kv => !kv.Key.StartsWith("layer4.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        var path = Path.Combine(directory, "partial.pt");
        PyTorchPickler.PickleStateDict(path, state);

        using var target = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), 2);
        using var before = target.Backbone.state_dict()["conv1.weight"].clone();
        var e = Assert.Throws<PretrainedImportException>(() => PretrainedImport.Import(target, path));
        Assert.Contains("partial", e.Message);
        Assert.Contains(e.Report!.Missing, k => k.StartsWith("layer4.", StringComparison.Ordinal));
        Assert.Equal(0.0, Fixture.MaxAbsDiff(target.Backbone.state_dict()["conv1.weight"], before));

        var report = PretrainedImport.Import(target, path, new ImportOptions { AllowMissing = true });
        Assert.Equal(state.Count, report.Loaded.Count);
        Assert.Equal(0.0, Fixture.MaxAbsDiff(target.Backbone.state_dict()["conv1.weight"], source.Backbone.state_dict()["conv1.weight"]));
    }

    [Fact]
    public void CheckpointWithoutBatchNormCounters_LoadsWithANote()
    {
        // Pre-0.4.1 / release-cleaned ImageNet checkpoints have no num_batches_tracked; that must not block the import.
        using var source = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), 2);
        var state = source.Backbone.state_dict().Where(kv => !kv.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        var path = Path.Combine(directory, "no_counters.pt");
        PyTorchPickler.PickleStateDict(path, state);
        using var target = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), 2);
        var report = PretrainedImport.Import(target, path);
        Assert.Equal(state.Count, report.Loaded.Count);
        Assert.Empty(report.Missing);
        Assert.Contains(report.Notes, n => n.Contains("num_batches_tracked", StringComparison.Ordinal));
    }

    [Fact]
    public void WrongShapes_AreRefusedNamingTheKey()
    {
        using var other = new MLRFNetModel(ModelVariants.Get("mlrfnet-r18"), 2);
        var path = Path.Combine(directory, "r18.pt");
        PyTorchPickler.PickleStateDict(path, other.Backbone.state_dict());
        using var target = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), 2);
        var e = Assert.Throws<PretrainedImportException>(() => PretrainedImport.Import(target, path, new ImportOptions { AllowMissing = true, AllowUnexpected = true }));
        Assert.Contains("conv1.weight", e.Message);
    }

    [Fact]
    public void LegacyOrForeignFile_GetsAFixItMessage()
    {
        var path = Path.Combine(directory, "legacy.pth");
        File.WriteAllBytes(path, [0x80, 0x02, 0x8a, 0x0a]);   // pickle protocol 2 header of torch's legacy format
        using var target = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), 2);
        var e = Assert.Throws<PretrainedImportException>(() => PretrainedImport.Import(target, path));
        Assert.Contains("torch.save", e.Message);
    }
}

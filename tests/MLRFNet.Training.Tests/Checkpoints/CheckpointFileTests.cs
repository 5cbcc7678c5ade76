using System.IO.Compression;
using MLRFNet.Core.Labels;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Training.Checkpoints;
using MLRFNet.Training.Losses;
using MLRFNet.Training.Models;
using MLRFNet.Training.Tests.TestSupport;
using static TorchSharp.torch;

namespace MLRFNet.Training.Tests.Checkpoints;

public sealed class CheckpointFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mlrfnet-ckpt-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void SaveThenLoad_RebuildsTheSameModelAndConfig()
    {
        // Catches lost weights/buffers (BN running stats), a config that does not round-trip, or a rebuild with the
        // wrong variant or class count.
        manual_seed(3);
        using var model = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), LabelSets.CheXpertCompetition.Count);
        using (no_grad())
            foreach (var (key, value) in model.state_dict())
                if (key.EndsWith("running_mean", StringComparison.Ordinal)) value.normal_(0, 0.3);
        var loss = new LossSettings(LossKind.BiasedFocal, 0.4f, 1.5f, 0.2f);
        var preprocessing = PreprocessingSpec.ImageNet with { ResizeSize = 288 };
        var config = CheckpointConfig.For(model, LabelSets.CheXpertCompetition, loss, preprocessing) with
        {
            Epoch = 7,
            Metrics = new Dictionary<string, double> { ["mean_auc"] = 0.81 },
        };
        var path = Path.Combine(directory, "tiny.ckpt");
        CheckpointFile.Save(path, model, config);

        var (loaded, loadedConfig) = CheckpointFile.Load(path);
        using (loaded)
        {
            Assert.Equal(config.Variant, loadedConfig.Variant);
            Assert.Equal(LabelSets.CheXpertCompetition, loadedConfig.LabelSet);
            Assert.Equal(preprocessing, loadedConfig.Preprocessing);
            Assert.Equal(loss, loadedConfig.Loss);
            Assert.Equal(7, loadedConfig.Epoch);
            Assert.Equal(0.81, loadedConfig.Metrics!["mean_auc"]);

            model.eval();
            loaded.eval();
            using var noGrad = no_grad();
            using var x = randn(2, 3, 64, 64);
            using var expected = model.call(x);
            using var actual = loaded.call(x);
            Assert.Equal(0.0, Fixture.MaxAbsDiff(actual, expected));
        }
    }

    [Fact]
    public void Checkpoint_IsAZipWithConfigAndPyTorchStateDict()
    {
        using var model = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), 2);
        var path = Path.Combine(directory, "two.ckpt");
        CheckpointFile.Save(path, model, CheckpointConfig.For(model, new LabelSet("pair", ["A", "B"]), LossSettings.PaperBiasedFocal));
        using var zip = ZipFile.OpenRead(path);
        Assert.Equal([CheckpointFile.ConfigEntry, CheckpointFile.StateDictEntry], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        using var reader = new StreamReader(zip.GetEntry(CheckpointFile.ConfigEntry)!.Open());
        var json = reader.ReadToEnd();
        Assert.Contains("\"name\": \"mlrfnet-tiny\"", json);
        Assert.Contains("\"kind\": \"BiasedFocal\"", json);
        Assert.Contains("\"block\": \"Bottle2neck\"", json);
    }

    [Fact]
    public void LabelCountDifferentFromModel_IsRejectedOnSave()
    {
        using var model = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), 3);
        var e = Assert.Throws<ArgumentException>(() =>
            CheckpointFile.Save(Path.Combine(directory, "x.ckpt"), model, CheckpointConfig.For(model, LabelSets.ChestXray14, LossSettings.PaperBiasedFocal)));
        Assert.Contains("14 labels", e.Message);
    }

    [Fact]
    public void WeightsThatDoNotFitTheConfig_AreRejectedOnLoad()
    {
        // A checkpoint whose config claims 2 labels but whose weights have 3 classes (hand-edited or mixed files).
        using var model = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), 3);
        var path = Path.Combine(directory, "mixed.ckpt");
        CheckpointFile.Save(path, model, CheckpointConfig.For(model, new LabelSet("three", ["A", "B", "C"]), LossSettings.PaperBiasedFocal));
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry(CheckpointFile.ConfigEntry)!;
            string json;
            using (var reader = new StreamReader(entry.Open())) json = reader.ReadToEnd();
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(CheckpointFile.ConfigEntry).Open());
            writer.Write(json.Replace("\"C\"", "").Replace("\"B\",", "\"B\""));
        }
        var e = Assert.Throws<FormatException>(() => CheckpointFile.Load(path));
        Assert.Contains("shape mismatch", e.Message);
    }

    [Fact]
    public void NonZipFile_IsRejectedClearly()
    {
        var path = Path.Combine(directory, "notes.ckpt");
        File.WriteAllText(path, "hello");
        var e = Assert.Throws<FormatException>(() => CheckpointFile.ReadConfig(path));
        Assert.Contains("not a zip", e.Message);
    }
}

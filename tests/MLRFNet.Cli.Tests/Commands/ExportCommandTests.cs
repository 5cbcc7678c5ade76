using System.CommandLine;
using MLRFNet.Cli.Commands;
using MLRFNet.Core.Labels;
using MLRFNet.Core.Manifest;
using MLRFNet.Inference;
using MLRFNet.Training.Checkpoints;
using MLRFNet.Training.Losses;
using MLRFNet.Training.Models;
using static TorchSharp.torch;

namespace MLRFNet.Cli.Tests.Commands;

/// <summary><c>mlrfnet export</c> end to end: a checkpoint saved like <c>mlrfnet train</c> saves it → ONNX + manifest → scorer.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("mlrfnet-cli-export-");

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand { ExportCommand.Create(output, error) };
        var code = root.Parse(["export", .. args]).Invoke();
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Exports_a_saved_checkpoint_that_the_scorer_loads_and_that_reproduces_the_model()
    {
        manual_seed(3);
        using var model = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), LabelSets.ChestXray14.Count);
        model.eval();
        var checkpoint = Path.Combine(dir.FullName, "tiny.ckpt");
        CheckpointFile.Save(checkpoint, model, CheckpointConfig.For(model, LabelSets.ChestXray14, LossSettings.PaperBiasedFocal));
        var onnx = Path.Combine(dir.FullName, "out", "tiny.onnx");

        var (code, output, error) = Run("--checkpoint", checkpoint, "--out", onnx, "--model-version", "7");
        Assert.True(code == 0, error);
        Assert.Contains($"wrote {onnx}", output);
        var manifest = ModelManifest.Load(ModelManifest.ManifestPathFor(onnx));
        Assert.Equal("7", manifest.ModelVersion);
        Assert.Equal(ModelManifest.Sha256OfFile(checkpoint), manifest.SourceCheckpointSha256);

        using var scorer = new OnnxXrayScorer(onnx);
        var random = new Random(1);
        var image = Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var scored = scorer.Score([image])[0];
        using var x = tensor(image).reshape(1, 3, 224, 224);
        using var noGrad = no_grad();
        using var logits = model.call(x);
        using var probabilities = logits.sigmoid();
        var expected = probabilities.data<float>().ToArray();
        Assert.All(Enumerable.Range(0, 14), c => Assert.InRange(Math.Abs(scored.Probabilities[c] - expected[c]), 0, 1e-4));
    }

    [Fact]
    public void A_missing_checkpoint_is_one_error_line_and_exit_code_2()
    {
        var missing = Path.Combine(dir.FullName, "nope.ckpt");
        var (code, output, error) = Run("--checkpoint", missing, "--out", Path.Combine(dir.FullName, "m.onnx"));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"mlrfnet export: error: Checkpoint '{missing}' does not exist.", error.Trim());
    }

    public void Dispose() => dir.Delete(recursive: true);
}

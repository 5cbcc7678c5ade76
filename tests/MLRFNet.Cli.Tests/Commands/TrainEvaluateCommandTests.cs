using MLRFNet.Cli.Tests.Support;
using MLRFNet.Core.Labels;
using MLRFNet.Training.Checkpoints;

namespace MLRFNet.Cli.Tests.Commands;

/// <summary>The command-line contract of synth → train → evaluate that QA scripts rely on.</summary>
public sealed class TrainEvaluateCommandTests
{
    [Fact]
    public void Synth_train_and_evaluate_run_end_to_end_and_write_the_contracted_files()
    {
        using var dir = new TempFolder();
        var synth = CliProcess.Run("synth", "--out", dir["data"], "--count", "40", "--seed", "3", "--size", "96");
        Assert.True(synth.Code == 0, synth.Error);

        var train = CliProcess.Run("train", "--labels", dir["data/labels.csv"], "--images", dir["data/images"], "--out", dir["run"],
            "--variant", "mlrfnet-tiny", "--epochs", "1", "--batch-size", "4", "--max-batches-per-epoch", "2", "--bootstrap", "20");
        Assert.True(train.Code == 0, train.Output + train.Error);
        Assert.Contains("by patient", train.Output);
        Assert.Contains("mean AUC", train.Output);
        foreach (var file in new[] { "best.ckpt", "last.ckpt", "metrics.csv", "train.csv", "validation.csv", "validation.json", "state.json" })
            Assert.True(File.Exists(dir["run/" + file]), file + " missing");
        var config = CheckpointFile.ReadConfig(dir["run/best.ckpt"]);
        Assert.Equal("mlrfnet-tiny", config.Variant.Name);
        Assert.Equal(LabelSets.ChestXray14.Labels, config.LabelSet.Labels);

        // The split files are disjoint by patient and together hold every image.
        var train_ = File.ReadAllLines(dir["run/train.csv"]).Skip(1).Select(l => l.Split(',')[0]).ToHashSet();
        var validation = File.ReadAllLines(dir["run/validation.csv"]).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.Empty(train_.Intersect(validation));
        Assert.Equal(40, train_.Count + validation.Count);

        var evaluate = CliProcess.Run("evaluate", "--model", dir["run/best.ckpt"], "--labels", dir["run/validation.csv"],
            "--images", dir["data/images"], "--out", dir["pred.csv"], "--report", dir["report"], "--bootstrap", "20");
        Assert.True(evaluate.Code == 0, evaluate.Output + evaluate.Error);
        var predictions = File.ReadAllLines(dir["pred.csv"]);
        Assert.Equal("Image Index," + string.Join(",", LabelSets.ChestXray14.Labels), predictions[0]);
        Assert.Equal(validation.Count + 1, predictions.Length);
        Assert.All(predictions.Skip(1), line =>
        {
            var fields = line.Split(',');
            Assert.Equal(15, fields.Length);
            Assert.All(fields.Skip(1), f => Assert.InRange(double.Parse(f, System.Globalization.CultureInfo.InvariantCulture), 0, 1));
        });
        Assert.Equal(validation.Order(), predictions.Skip(1).Select(l => l.Split(',')[0]).Order());
        Assert.True(new FileInfo(dir["report/roc.png"]).Length > 1000);
        Assert.Contains("\"meanAuc\"", File.ReadAllText(dir["report/metrics.json"]));

        // The predictions file is never overwritten.
        var again = CliProcess.Run("evaluate", "--model", dir["run/best.ckpt"], "--labels", dir["run/validation.csv"],
            "--images", dir["data/images"], "--out", dir["pred.csv"]);
        Assert.Equal(2, again.Code);
        Assert.Contains("already exists", again.Error);
    }

    [Theory]
    [InlineData("train", "--labels", "/nonexistent/labels.csv", "--images", "/tmp", "--out", "/tmp/x")]
    [InlineData("evaluate", "--model", "/nonexistent/m.onnx", "--labels", "/nonexistent/l.csv", "--images", "/tmp", "--out", "/tmp/p.csv")]
    [InlineData("synth", "--out", "/tmp/mlrfnet-never", "--count", "0")]
    public void Missing_files_and_bad_arguments_give_one_line_and_a_nonzero_exit(params string[] args)
    {
        var (code, output, error) = CliProcess.Run(args);
        Assert.NotEqual(0, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"mlrfnet {args[0]}: error: ", line);
        Assert.DoesNotContain("   at ", output + error); // no stack trace
    }

    [Fact]
    public void An_unreadable_image_in_a_dataset_is_listed_and_skipped_not_fatal()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, CliProcess.Run("synth", "--out", dir["data"], "--count", "24", "--seed", "4", "--size", "64").Code);
        File.WriteAllText(dir["data/images/phantom_00005.png"], "this is not a PNG");
        var train = CliProcess.Run("train", "--labels", dir["data/labels.csv"], "--images", dir["data/images"], "--out", dir["run"],
            "--variant", "mlrfnet-tiny", "--epochs", "1", "--batch-size", "4", "--max-batches-per-epoch", "1", "--bootstrap", "0");
        Assert.True(train.Code == 0, train.Output + train.Error);
        Assert.Contains("phantom_00005.png", train.Output);
        Assert.Contains("unreadable", train.Output);
    }
}

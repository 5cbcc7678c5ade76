using MLRFNet.Cli.Tests.Support;

namespace MLRFNet.Cli.Tests.Commands;

/// <summary>Issue 17 through the real mlrfnet process: --split official, evaluate --run --split test, the refusals, --device.</summary>
public sealed class TrainSplitCommandTests
{
    private static string[] Ids(string csv) => File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')[0]).ToArray();

    [Fact]
    public void Train_split_official_never_trains_on_a_test_list_image_and_evaluate_split_test_judges_exactly_those()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, CliProcess.Run("synth", "--out", dir["data"], "--count", "36", "--seed", "5", "--size", "64").Code);
        var all = Ids(dir["data/labels.csv"]);
        var test = all.Where((_, i) => i % 4 == 1).ToArray();
        File.WriteAllLines(dir["data/test_list.txt"], test);
        File.WriteAllLines(dir["data/train_val_list.txt"], all.Except(test));
        // Test images are not images during training: touching one would be reported as unreadable.
        var saved = test.ToDictionary(t => t, t => File.ReadAllBytes(dir["data/images/" + t]));
        foreach (var t in test) File.WriteAllText(dir["data/images/" + t], "not a PNG");

        var plain = CliProcess.Run("train", "--labels", dir["data/labels.csv"], "--images", dir["data/images"], "--out", dir["refused"]);
        Assert.Equal(2, plain.Code);
        Assert.Contains("--split official", plain.Error);

        var train = CliProcess.Run("train", "--labels", dir["data/labels.csv"], "--images", dir["data/images"], "--out", dir["run"], "--split", "official",
            "--variant", "mlrfnet-tiny", "--epochs", "1", "--batch-size", "4", "--max-batches-per-epoch", "2", "--bootstrap", "0");
        Assert.True(train.Code == 0, train.Output + train.Error);
        Assert.DoesNotContain("unreadable", train.Output);
        Assert.Contains("official split", train.Output);
        var trained = Ids(dir["run/train.csv"]).Concat(Ids(dir["run/validation.csv"])).ToArray();
        Assert.Empty(trained.Intersect(test));
        Assert.Equal(all.Length - test.Length, trained.Length);
        Assert.Equal(test.Order(), Ids(dir["run/test.csv"]).Order());
        Assert.Contains("\"kind\": \"official\"", File.ReadAllText(dir["run/split.json"]));
        var again = CliProcess.Run("train", "--labels", dir["data/labels.csv"], "--images", dir["data/images"], "--out", dir["run"], "--split", "official");
        Assert.Equal(2, again.Code);
        Assert.Contains("already holds a run; pass --resume", again.Error); // before any split file is touched

        // Thresholds on images that trained the model are refused, naming how many and the fix.
        var thresholds = CliProcess.Run("evaluate", "--run", dir["run"], "--labels", dir["run/train.csv"], "--images", dir["data/images"],
            "--out", dir["t.csv"], "--write-thresholds");
        Assert.Equal(2, thresholds.Code);
        Assert.Contains($"{Ids(dir["run/train.csv"]).Length} train images", thresholds.Error);
        Assert.Contains("--split validation", thresholds.Error);
        Assert.Single(thresholds.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        foreach (var (name, bytes) in saved) File.WriteAllBytes(dir["data/images/" + name], bytes);
        var evaluate = CliProcess.Run("evaluate", "--run", dir["run"], "--split", "test", "--out", dir["pred.csv"], "--bootstrap", "0");
        Assert.True(evaluate.Code == 0, evaluate.Output + evaluate.Error);
        Assert.Equal(test.Order(), Ids(dir["pred.csv"]).Order());
    }

    [Theory]
    [InlineData("train")]
    [InlineData("evaluate")]
    [InlineData("bench-training")]
    public void Device_cuda_on_the_cpu_build_is_one_line_and_exit_2(string verb)
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir["labels.csv"], "Image Index,Atelectasis\n");
        var args = new List<string> { verb, "--device", "cuda", "--labels", dir["labels.csv"], "--images", dir.Path };
        if (verb == "train") args.AddRange(["--out", dir["run"]]);
        if (verb == "evaluate") args.AddRange(["--out", dir["p.csv"], "--model", dir["labels.csv"]]);
        var (code, output, error) = CliProcess.Run([.. args]);
        Assert.Equal(2, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"mlrfnet {verb}: error: --device cuda:0: ", line);
        Assert.Contains("-p:TorchSharpPackage=cuda", line);
        Assert.False(Directory.Exists(dir["run"]), "nothing is started on a device that cannot work");
    }

    [Fact]
    public void Bench_training_loader_only_reports_each_warm_run_and_their_median()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, CliProcess.Run("synth", "--out", dir["data"], "--count", "16", "--seed", "6", "--size", "64").Code);
        var bench = CliProcess.Run("bench-training", "--labels", dir["data/labels.csv"], "--images", dir["data/images"], "--loader-only",
            "--variant", "mlrfnet-tiny", "--batch-size", "8", "--runs", "3", "--loader-workers", "2");
        Assert.True(bench.Code == 0, bench.Output + bench.Error);
        Assert.Equal(3, bench.Output.Split('\n').Count(l => l.StartsWith("loader warm run ")));
        var row = bench.Output.Split('\n').Last(l => l.StartsWith("| 16 |"));
        Assert.Equal(3, row.Split('|')[6].Trim().Split(' ').Length);
    }
}

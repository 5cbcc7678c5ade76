using MLRFNet.Core.Labels;
using MLRFNet.Imaging.Datasets;

namespace MLRFNet.Imaging.Tests.Datasets;

/// <summary>The refusals that keep a run's parts apart after training (the API the QA gate calls).</summary>
public sealed class SplitGuardTests : IDisposable
{
    private readonly DatasetTestFiles files = new();
    private readonly string run;

    public SplitGuardTests()
    {
        var labels = files.Write("labels.csv", "Image Index,Patient ID,Atelectasis\n");
        run = Path.Combine(files.Root, "run");
        Directory.CreateDirectory(run);
        new SplitRecord
        {
            Kind = "random", Fractions = [0.6, 0.2, 0.2], Files = [], Source = new DatasetSource { Labels = labels, Images = [files.Root] },
            Train = ["t1.png", "t2.png", "t3.png"], Validation = ["v1.png"], Test = ["x1.png"],
        }.Write(run);
    }

    public void Dispose() => files.Dispose();

    [Fact]
    public void Thresholds_are_refused_on_train_or_test_images_with_the_count_names_and_the_fix()
    {
        var error = Assert.Throws<SplitOverlapException>(() => SplitGuard.ForThresholds(run, ["t1.png", "t3.png", "v1.png", "x1.png", "new.png"]));
        Assert.Contains("2 train images (t1.png, t3.png)", error.Message);
        Assert.Contains("1 test image (x1.png)", error.Message);
        Assert.Contains("--split validation", error.Message);
        Assert.Equal(["t1.png", "t3.png"], error.Overlap.Train);
        SplitGuard.ForThresholds(run, ["v1.png", "new.png"]); // validation and unseen images are the place for thresholds
    }

    [Fact]
    public void Judging_is_refused_on_images_that_trained_the_model_train_or_validation()
    {
        var error = Assert.Throws<SplitOverlapException>(() => SplitGuard.ForJudging(run, ["v1.png", "x1.png"]));
        Assert.Contains("1 validation image (v1.png)", error.Message);
        Assert.Equal(["v1.png"], error.Overlap.TrainedOn);
        SplitGuard.ForJudging(run, ["x1.png", "new.png"]);
    }

    [Fact]
    public void A_folder_without_split_json_is_named_with_what_to_do()
    {
        var error = Assert.Throws<FileNotFoundException>(() => SplitRecord.Read(files.Root));
        Assert.Contains("split.json", error.Message);
        Assert.Contains("mlrfnet train", error.Message);
    }
}

using MLRFNet.Imaging.Datasets;
using MLRFNet.Training.Training;
using Xunit.Abstractions;

namespace MLRFNet.Training.Tests.Training;

/// <summary>
/// Issue 17: with --split official, no image of NIH's test list is ever read while training, validating (early
/// stopping, checkpoint choice) or evaluating the best checkpoint. The proof is the image cache's own read hook (every
/// pixel the run gets passes through it) and test images that are not images at all: reading one would list it as
/// unreadable.
/// </summary>
public class OfficialSplitTrainingTests(ITestOutputHelper output)
{
    private sealed class Log(ITestOutputHelper output) : ITrainingObserver
    {
        public List<string> Messages { get; } = [];
        public void EpochStarted(int epoch, int totalEpochs, int batches) { }
        public void BatchFinished(int epoch, int batch, int batches, double loss, double imagesPerSecond) { }
        public void EpochFinished(EpochResult result) { }
        public void Message(string text) { Messages.Add(text); output.WriteLine(text); }
    }

    [Fact]
    public void Training_with_the_official_split_never_reads_a_test_list_image()
    {
        using var run = new PhantomRun(count: 48, seed: 2, size: 64);
        var byPatient = run.Dataset.Items.GroupBy(i => i.PatientId).OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();
        var test = byPatient.Where((_, k) => k % 4 == 0).SelectMany(g => g).ToArray();
        var trainVal = byPatient.Where((_, k) => k % 4 != 0).SelectMany(g => g).ToArray();
        Assert.NotEmpty(test);
        var folder = Path.GetDirectoryName(run.Labels)!;
        File.WriteAllLines(Path.Combine(folder, SplitRequest.TestList), test.Select(i => i.ImageIndex));
        File.WriteAllLines(Path.Combine(folder, SplitRequest.TrainValList), trainVal.Select(i => i.ImageIndex));
        foreach (var item in test) File.WriteAllText(item.ImagePath, "not a PNG: reading this file fails loudly");

        var read = new System.Collections.Concurrent.ConcurrentBag<string>();
        var log = new Log(output);
        var result = TrainingRun.Run(new TrainingRunRequest
        {
            Source = new DatasetSource { Labels = run.Labels, Images = [run.Images] },
            Split = SplitRequest.Parse("official"),
            Options = new TrainingOptions { Variant = "mlrfnet-tiny", Epochs = 2, BatchSize = 4, MaxBatchesPerEpoch = 2, Patience = 0, LoaderWorkers = 2 },
            RunFolder = run.RunFolder("official"),
            Bootstrap = 0,
        }, log, cache => cache.ImageRead += path => read.Add(Path.GetFullPath(path)));

        var testPaths = test.Select(i => Path.GetFullPath(i.ImagePath)).ToHashSet();
        var trainValPaths = trainVal.Select(i => Path.GetFullPath(i.ImagePath)).ToHashSet();
        Assert.DoesNotContain(read, testPaths.Contains);
        Assert.Equal(trainValPaths.Order(), read.Distinct().Order()); // the hook is live: every train/validation image, nothing else
        Assert.Empty(result.Training.UnreadableImages);
        Assert.DoesNotContain(log.Messages, m => m.Contains("unreadable"));
        Assert.Equal(test.Select(i => i.ImageIndex).Order(), result.Record.Test.Order());
        Assert.Equal(result.Record.Test, SplitRecord.Read(run.RunFolder("official")).Test);
        Assert.Empty(result.Validation.ImageIndices.Intersect(test.Select(i => i.ImageIndex)));
    }
}

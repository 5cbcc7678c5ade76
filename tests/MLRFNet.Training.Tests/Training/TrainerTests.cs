using MLRFNet.Imaging.Datasets;
using MLRFNet.Training.Training;
using Xunit.Abstractions;

namespace MLRFNet.Training.Tests.Training;

public class TrainerTests(ITestOutputHelper output)
{
    private sealed class Recorder(ITestOutputHelper output) : ITrainingObserver
    {
        public List<EpochResult> Epochs { get; } = [];

        public void EpochStarted(int epoch, int totalEpochs, int batches) { }

        public void BatchFinished(int epoch, int batch, int batches, double loss, double imagesPerSecond) { }

        public void EpochFinished(EpochResult result)
        {
            Epochs.Add(result);
            output.WriteLine($"epoch {result.Epoch}: train {result.TrainLoss:F4} val {result.ValidationLoss:F4} auc {result.ValidationMeanAuc:F3} lr {result.LearningRate:G3} {result.Seconds:F1}s {result.TrainImagesPerSecond:F1} img/s");
        }

        public void Message(string text) => output.WriteLine(text);
    }

    [Fact]
    public void Tiny_model_learns_the_phantoms_from_chance_to_a_validation_AUC_of_at_least_0_9()
    {
        // The whole loop (loader, augmentation, loss, optimizer, validation metrics) must learn: a bug in any of
        // them (labels misaligned with images, gradients not applied, eval on train-mode BN...) keeps AUC near 0.5.
        using var run = new PhantomRun(count: 320, seed: 1);
        var split = PatientSplit.TrainValidation(run.Dataset, 0.25, seed: 0);
        var recorder = new Recorder(output);
        var options = new TrainingOptions
        {
            Variant = "mlrfnet-tiny", Epochs = 8, BatchSize = 16, LearningRate = 2e-3, Patience = 0, Seed = 3,
        };
        var result = new Trainer(options, recorder).Run(split, run.RunFolder("learn"));

        Assert.Equal(8, result.Epochs.Count);
        var first = result.Epochs[0].ValidationMeanAuc!.Value;
        var best = result.Epochs.Max(e => e.ValidationMeanAuc!.Value);
        Assert.True(best >= 0.9, $"validation mean AUC peaked at {best:F3} (first epoch {first:F3})");
        Assert.True(File.Exists(result.BestCheckpoint));
        var metrics = File.ReadAllLines(Path.Combine(run.RunFolder("learn"), Trainer.MetricsFileName));
        Assert.Equal(9, metrics.Length);
        Assert.StartsWith("epoch,train_loss,val_loss,val_mean_auc,auc_Atelectasis,", metrics[0]);
        Assert.Empty(result.UnreadableImages);
    }
}

public class TrainerResumeTests(ITestOutputHelper output)
{
    private sealed class CancelDuring(int epoch, CancellationTokenSource cancel) : ITrainingObserver
    {
        public void EpochStarted(int e, int totalEpochs, int batches) { }

        public void BatchFinished(int e, int batch, int batches, double loss, double imagesPerSecond)
        {
            if (e == epoch) cancel.Cancel(); // "power cut" in the middle of this epoch
        }

        public void EpochFinished(EpochResult result) { }

        public void Message(string text) { }
    }

    private static TrainingOptions Quick => new()
    {
        Variant = "mlrfnet-tiny", Epochs = 5, BatchSize = 4, LearningRate = 1e-3, LearningRateDecay = 0.5,
        LearningRateStepEpochs = 2, Patience = 0, Seed = 9, MaxBatchesPerEpoch = 2,
    };

    [Fact]
    public void An_interrupted_run_resumes_from_the_last_finished_epoch_with_the_same_learning_rate_schedule()
    {
        using var run = new PhantomRun(count: 24, seed: 4, size: 96);
        var split = PatientSplit.TrainValidation(run.Dataset, 0.25, seed: 0);
        var folder = run.RunFolder("resume");
        using var cancel = new CancellationTokenSource();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Trainer(Quick, new CancelDuring(2, cancel)).Run(split, folder, cancellationToken: cancel.Token));
        Assert.Equal(2, TrainingState.Load(folder)!.CompletedEpochs); // epochs 0 and 1 finished, 2 was cut

        var resumed = new Trainer(Quick).Run(split, folder, resume: true);
        Assert.Equal([2, 3, 4], resumed.Epochs.Select(e => e.Epoch));
        // StepLR(step 2, gamma 0.5) from 1e-3: epochs 2-3 at 5e-4, epoch 4 at 2.5e-4, exactly as if never cut.
        Assert.Equal([5e-4, 5e-4, 2.5e-4], resumed.Epochs.Select(e => Math.Round(e.LearningRate, 12)));
        var rows = File.ReadAllLines(Path.Combine(folder, Trainer.MetricsFileName)).Skip(1).Select(l => l.Split(',')[0]);
        Assert.Equal(["0", "1", "2", "3", "4"], rows);
        Assert.Equal(5, TrainingState.Load(folder)!.CompletedEpochs);
        output.WriteLine(string.Join(" ", resumed.Epochs.Select(e => $"{e.Epoch}:{e.ValidationLoss:F4}")));
    }

    [Fact]
    public void A_run_folder_is_never_overwritten_and_resume_without_a_run_is_refused()
    {
        using var run = new PhantomRun(count: 12, seed: 5, size: 64);
        var split = PatientSplit.TrainValidation(run.Dataset, 0.25, seed: 0);
        var folder = run.RunFolder("once");
        var oneEpoch = Quick with { Epochs = 1, MaxBatchesPerEpoch = 1 };
        new Trainer(oneEpoch).Run(split, folder);
        var again = Assert.Throws<IOException>(() => new Trainer(oneEpoch).Run(split, folder));
        Assert.Contains("--resume", again.Message);
        Assert.Throws<FileNotFoundException>(() => new Trainer(oneEpoch).Run(split, run.RunFolder("none"), resume: true));
    }

    [Fact]
    public void Bad_options_are_refused_with_the_option_named()
    {
        Assert.Contains("--batch-size", Assert.Throws<ArgumentException>(() => (Quick with { BatchSize = 1 }).Validate()).Message);
        Assert.Contains("--lr", Assert.Throws<ArgumentException>(() => (Quick with { LearningRate = 0 }).Validate()).Message);
        Assert.Throws<KeyNotFoundException>(() => (Quick with { Variant = "resnet9000" }).Validate());
    }
}

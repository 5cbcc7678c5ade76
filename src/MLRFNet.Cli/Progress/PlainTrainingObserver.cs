using MLRFNet.Training.Training;

namespace MLRFNet.Cli.Progress;

/// <summary>Plain log lines for redirected output (CI logs, nohup): one line every ~10% of an epoch and per epoch.</summary>
internal sealed class PlainTrainingObserver(TextWriter output) : ITrainingObserver
{
    private int every = 1;

    public void EpochStarted(int epoch, int totalEpochs, int batches)
    {
        every = Math.Max(1, batches / 10);
        output.WriteLine($"epoch {epoch + 1}/{totalEpochs}: {batches} batches");
    }

    public void BatchFinished(int epoch, int batch, int batches, double loss, double imagesPerSecond)
    {
        if (batch % every == 0 || batch == batches)
            output.WriteLine($"  batch {batch}/{batches} loss {loss:F5} {imagesPerSecond:F1} img/s");
    }

    public void EpochFinished(EpochResult r) => output.WriteLine(EpochLine(r));

    public void Message(string text) => output.WriteLine(text);

    public static string EpochLine(EpochResult r) =>
        $"epoch {r.Epoch + 1} done: train loss {r.TrainLoss:F5}, val loss {r.ValidationLoss:F5}, val mean AUC " +
        (r.ValidationMeanAuc is { } auc ? auc.ToString("F4") : "undefined") +
        $", lr {r.LearningRate:G3}, {r.Seconds:F1} s, {r.TrainImagesPerSecond:F1} img/s{(r.IsBest ? " (best)" : "")}";
}

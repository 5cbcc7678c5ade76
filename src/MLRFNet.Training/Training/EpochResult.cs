namespace MLRFNet.Training.Training;

/// <summary>One row of <c>metrics.csv</c>.</summary>
public sealed record EpochResult(
    int Epoch,
    double TrainLoss,
    double ValidationLoss,
    double? ValidationMeanAuc,
    double?[] ValidationClassAuc,
    double LearningRate,
    double Seconds,
    double TrainImagesPerSecond,
    bool IsBest);

/// <summary>Receives progress; the CLI draws a progress bar on a terminal and plain lines otherwise.</summary>
public interface ITrainingObserver
{
    void EpochStarted(int epoch, int totalEpochs, int batches);

    void BatchFinished(int epoch, int batch, int batches, double loss, double imagesPerSecond);

    void EpochFinished(EpochResult result);

    void Message(string text);
}

public sealed class NullTrainingObserver : ITrainingObserver
{
    public static NullTrainingObserver Instance { get; } = new();

    public void EpochStarted(int epoch, int totalEpochs, int batches) { }

    public void BatchFinished(int epoch, int batch, int batches, double loss, double imagesPerSecond) { }

    public void EpochFinished(EpochResult result) { }

    public void Message(string text) { }
}

using MLRFNet.Training.Training;
using Spectre.Console;

namespace MLRFNet.Cli.Progress;

/// <summary>A progress bar per epoch with images/s and ETA, for an interactive terminal.</summary>
internal sealed class SpectreTrainingObserver(ProgressContext context) : ITrainingObserver
{
    private ProgressTask? task;

    public void EpochStarted(int epoch, int totalEpochs, int batches) =>
        task = context.AddTask($"epoch {epoch + 1}/{totalEpochs}", maxValue: batches);

    public void BatchFinished(int epoch, int batch, int batches, double loss, double imagesPerSecond)
    {
        if (task is null) return;
        task.Value = batch;
        task.Description = $"epoch {epoch + 1} loss {loss:F4} {imagesPerSecond:F1} img/s";
    }

    public void EpochFinished(EpochResult result)
    {
        task?.StopTask();
        AnsiConsole.MarkupLine(Markup.Escape(PlainTrainingObserver.EpochLine(result)));
    }

    public void Message(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));

    /// <summary>Runs <paramref name="body"/> under a progress display when the console is interactive.</summary>
    public static T Run<T>(Func<ITrainingObserver, T> body)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return body(new PlainTrainingObserver(Console.Out));
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => result = body(new SpectreTrainingObserver(context)));
        return result;
    }
}

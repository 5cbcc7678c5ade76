using System.CommandLine;
using MLRFNet.Cli.Progress;
using MLRFNet.Cli.Reports;
using MLRFNet.Training.Training;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// <c>mlrfnet train --labels CSV --images DIR --out RUN_DIR [--split official|random:70/10/20|patient] [--device cpu|cuda:N]</c>.
/// Splits by patient (never one patient in two parts; official: the data set's own test images never train, stop or
/// choose anything), trains, then evaluates the best checkpoint on the validation part with bootstrap CIs. The run
/// folder keeps best.ckpt, last.ckpt, metrics.csv, split.json, the parts as train.csv / validation.csv / test.csv
/// (labelled-folder format) and validation.json. The work is <see cref="TrainingRun"/>'s.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var arguments = new TrainArguments();
        var command = new Command("train", "Train an MLRFNet variant on labelled X-rays (patient-wise split).");
        arguments.AddTo(command);
        command.SetAction(parse => CliRun.Guard("train", () =>
        {
            var request = arguments.Read(parse);
            var result = SpectreTrainingObserver.Run(observer => TrainingRun.Run(request, observer));
            Console.WriteLine(result.Training.StopReason);
            EvaluationReport.WriteJson(result.Validation, Path.Combine(request.RunFolder, "validation.json"));
            EvaluationReport.PrintSummary(result.Validation, Console.Out);
            return 0;
        }));
        return command;
    }
}

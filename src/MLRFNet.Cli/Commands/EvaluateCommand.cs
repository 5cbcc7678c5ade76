using System.CommandLine;
using MLRFNet.Cli.Reports;
using MLRFNet.Core.Metrics;
using MLRFNet.Training.Evaluation;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// <c>mlrfnet evaluate --model CKPT_OR_ONNX --labels CSV --images DIR --out PREDICTIONS_CSV [--report DIR]</c>:
/// per-class AUC with bootstrap 95% CIs, accuracy/sensitivity/specificity/F1 at the model's thresholds (0.5 when it
/// has none), the predictions CSV, and with --report a metrics.json and roc.png.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new DatasetOptions();
        var model = new Option<FileInfo>("--model") { Description = "A checkpoint (.ckpt) or an ONNX model with its manifest.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Predictions CSV: Image Index,<class 1>,...", Required = true };
        var report = new Option<DirectoryInfo?>("--report") { Description = "Folder for metrics.json and roc.png." };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 16 };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => Environment.ProcessorCount };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for the CIs (0 = none).", DefaultValueFactory = _ => 1000 };
        var writeThresholds = new Option<bool>("--write-thresholds") { Description = "ONNX only: store each class's Youden-J threshold from this set in the model's manifest (0.5 where undefined or uninformative). Use a validation set, never the test set." };
        var signKey = SignKeyOption.Create();
        var command = new Command("evaluate", "Judge a checkpoint or an ONNX model on labelled X-rays.");
        data.AddTo(command);
        foreach (var o in new Option[] { model, output, report, batch, threads, bootstrap, writeThresholds, signKey }) command.Options.Add(o);
        command.SetAction(parse => CliRun.Guard("evaluate", () =>
        {
            if (parse.GetResult(signKey) is { Implicit: false } && !parse.GetValue(writeThresholds))
                throw new ArgumentException("--sign-key signs what --write-thresholds writes; give both, or neither.");
            using var key = SignKeyOption.Load(parse, signKey);
            var outPath = parse.GetValue(output)!.FullName;
            if (File.Exists(outPath)) throw new IOException($"{outPath} already exists; choose another --out (nothing is overwritten).");
            var iterations = parse.GetValue(bootstrap);
            if (iterations < 0) throw new ArgumentException($"--bootstrap must be 0 or more (got {iterations}).");
            var dataset = data.Load(parse, Console.Out);
            using var predictor = OnnxPredictor.Open(parse.GetValue(model)!.FullName, parse.GetValue(threads), parse.GetValue(batch));
            var run = Evaluator.Run(predictor, dataset, batchSize: parse.GetValue(batch),
                options: new EvaluationOptions { Bootstrap = iterations == 0 ? null : new BootstrapOptions { Iterations = iterations } });
            Evaluator.WritePredictions(run, outPath);
            if (parse.GetValue(report) is { } folder)
            {
                Directory.CreateDirectory(folder.FullName);
                EvaluationReport.WriteJson(run, Path.Combine(folder.FullName, "metrics.json"));
                EvaluationReport.WriteRocPng(run, Path.Combine(folder.FullName, "roc.png"));
            }
            EvaluationReport.PrintSummary(run, Console.Out);
            if (parse.GetValue(writeThresholds))
                ThresholdWriter.Write(parse.GetValue(model)!.FullName, run, ThresholdWriter.DataSet(parse.GetValue(data.Labels)!.Name, dataset), key, Console.Out);
            return 0;
        }));
        return command;
    }
}

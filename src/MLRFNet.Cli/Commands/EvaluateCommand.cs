using System.CommandLine;
using MLRFNet.Cli.Reports;
using MLRFNet.Core.Metrics;
using MLRFNet.Imaging.Datasets;
using MLRFNet.Training.Devices;
using MLRFNet.Training.Evaluation;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// <c>mlrfnet evaluate --model CKPT_OR_ONNX --labels CSV --images DIR --out PREDICTIONS_CSV [--report DIR]</c>, or
/// <c>mlrfnet evaluate --run RUN_DIR --split test --out PREDICTIONS_CSV</c> (the run's best checkpoint on its recorded
/// test part): per-class AUC with bootstrap 95% CIs, accuracy/sensitivity/specificity/F1 at the model's thresholds
/// (0.5 when it has none), the predictions CSV, and with --report a metrics.json and roc.png. With --run,
/// --write-thresholds refuses images of the run's train or test part (<see cref="SplitGuard.ForThresholds"/>).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new DatasetOptions(required: false);
        var model = new Option<FileInfo?>("--model") { Description = "A checkpoint (.ckpt) or an ONNX model with its manifest (default with --run: the run's best.ckpt)." };
        var run = new Option<DirectoryInfo?>("--run") { Description = "A run folder of mlrfnet train: its split.json gives --split parts and guards --write-thresholds." };
        var part = new Option<string?>("--split") { Description = "With --run: test | validation, the run's recorded part (instead of --labels/--images)." };
        var output = new Option<FileInfo>("--out") { Description = "Predictions CSV: Image Index,<class 1>,...", Required = true };
        var report = new Option<DirectoryInfo?>("--report") { Description = "Folder for metrics.json and roc.png." };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 16 };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => Environment.ProcessorCount };
        var device = new Option<string>("--device") { Description = "Checkpoints: cpu | cuda | cuda:N.", DefaultValueFactory = _ => "cpu" };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for the CIs (0 = none).", DefaultValueFactory = _ => 1000 };
        var writeThresholds = new Option<bool>("--write-thresholds") { Description = "ONNX only: store each class's Youden-J threshold from this set in the model's manifest (0.5 where undefined or uninformative). Use a validation set, never the test set." };
        var signKey = SignKeyOption.Create();
        var command = new Command("evaluate", "Judge a checkpoint or an ONNX model on labelled X-rays.");
        data.AddTo(command);
        foreach (var o in new Option[] { model, run, part, output, report, batch, threads, device, bootstrap, writeThresholds, signKey }) command.Options.Add(o);
        command.SetAction(parse => CliRun.Guard("evaluate", () =>
        {
            if (parse.GetResult(signKey) is { Implicit: false } && !parse.GetValue(writeThresholds))
                throw new ArgumentException("--sign-key signs what --write-thresholds writes; give both, or neither.");
            using var key = SignKeyOption.Load(parse, signKey);
            var outPath = parse.GetValue(output)!.FullName;
            if (File.Exists(outPath)) throw new IOException($"{outPath} already exists; choose another --out (nothing is overwritten).");
            var iterations = parse.GetValue(bootstrap);
            if (iterations < 0) throw new ArgumentException($"--bootstrap must be 0 or more (got {iterations}).");
            var target = TrainingDevice.Parse(parse.GetValue(device)!);
            target.Resolve();
            var set = RunEvaluationSet.Resolve(parse.GetValue(run)?.FullName, parse.GetValue(part), parse.GetValue(model)?.FullName,
                data.IsGiven(parse) ? () => data.Load(parse, Console.Out) : null);
            if (parse.GetValue(writeThresholds) && set.RunFolder is { } runFolder) SplitGuard.ForThresholds(runFolder, set.Dataset.Items.Select(i => i.ImageIndex));
            else if (parse.GetValue(writeThresholds)) Console.WriteLine("note: no --run given, so nothing checks that these images did not train the model.");
            using var predictor = OnnxPredictor.Open(set.Model, parse.GetValue(threads), parse.GetValue(batch), target);
            var result = Evaluator.Run(predictor, set.Dataset, batchSize: parse.GetValue(batch),
                options: new EvaluationOptions { Bootstrap = iterations == 0 ? null : new BootstrapOptions { Iterations = iterations } });
            Evaluator.WritePredictions(result, outPath);
            if (parse.GetValue(report) is { } folder)
            {
                Directory.CreateDirectory(folder.FullName);
                EvaluationReport.WriteJson(result, Path.Combine(folder.FullName, "metrics.json"));
                EvaluationReport.WriteRocPng(result, Path.Combine(folder.FullName, "roc.png"));
            }
            EvaluationReport.PrintSummary(result, Console.Out);
            var setName = parse.GetValue(data.Labels)?.Name ?? $"{Path.GetFileName(set.RunFolder)} {parse.GetValue(part)} part";
            if (parse.GetValue(writeThresholds)) ThresholdWriter.Write(set.Model, result, ThresholdWriter.DataSet(setName, set.Dataset), key, Console.Out);
            return 0;
        }));
        return command;
    }
}

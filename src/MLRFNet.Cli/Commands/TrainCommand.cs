using System.CommandLine;
using MLRFNet.Cli.Progress;
using MLRFNet.Cli.Reports;
using MLRFNet.Core.Metrics;
using MLRFNet.Imaging.Datasets;
using MLRFNet.Training.Evaluation;
using MLRFNet.Training.Losses;
using MLRFNet.Training.Training;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// <c>mlrfnet train --labels CSV --images DIR --out RUN_DIR [--variant mlrfnet] [--epochs N] [--pretrained FILE] [--resume]</c>.
/// Splits by patient (never one patient in two splits), trains, then evaluates the best checkpoint on the
/// validation split with bootstrap CIs. The run folder keeps best.ckpt, last.ckpt, metrics.csv, the split lists
/// (train.csv, validation.csv in the labelled-folder format) and validation.json.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new DatasetOptions();
        var output = new Option<DirectoryInfo>("--out") { Description = "Run folder (created; an existing run is continued only with --resume).", Required = true };
        var variant = new Option<string>("--variant") { Description = "Model variant (mlrfnet info --list).", DefaultValueFactory = _ => "mlrfnet" };
        var epochs = new Option<int>("--epochs") { Description = "Maximum epochs.", DefaultValueFactory = _ => 20 };
        var pretrained = new Option<FileInfo?>("--pretrained") { Description = "PyTorch state_dict (zip) for the backbone, or ResNet18.onnx for mlrfnet-r18." };
        var allowPartial = new Option<bool>("--allow-partial-pretrained") { Description = "Accept a pretrained file that leaves backbone weights missing." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last finished epoch." };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 32 };
        var lr = new Option<double>("--lr") { Description = "Initial learning rate (x0.9 every 2 epochs).", DefaultValueFactory = _ => 1e-4 };
        var patience = new Option<int>("--patience") { Description = "Early stopping: epochs without a lower validation loss (0 = off).", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var workers = new Option<int>("--loader-workers") { DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount / 2) };
        var validation = new Option<double>("--validation-fraction") { Description = "Share of patients held out for validation.", DefaultValueFactory = _ => 0.2 };
        var loss = new Option<string>("--loss") { Description = "biased-focal | focal | bce", DefaultValueFactory = _ => "biased-focal" };
        var cache = new Option<DirectoryInfo?>("--cache") { Description = "Preprocessed-image cache folder (default: beside the run folder)." };
        var maxBatches = new Option<int?>("--max-batches-per-epoch") { Description = "Cap training batches per epoch (quick checks)." };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for the final validation CIs (0 = none).", DefaultValueFactory = _ => 1000 };

        var command = new Command("train", "Train an MLRFNet variant on labelled X-rays (patient-wise split).");
        data.AddTo(command);
        foreach (var o in new Option[] { output, variant, epochs, pretrained, allowPartial, resume, batch, lr, patience, seed, threads, workers, validation, loss, cache, maxBatches, bootstrap })
            command.Options.Add(o);

        command.SetAction(parse => CliRun.Guard("train", () =>
        {
            var runFolder = parse.GetValue(output)!.FullName;
            var options = new TrainingOptions
            {
                Variant = parse.GetValue(variant)!, Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(lr), Patience = parse.GetValue(patience), Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads), LoaderWorkers = parse.GetValue(workers),
                Pretrained = parse.GetValue(pretrained)?.FullName, AllowPartialPretrained = parse.GetValue(allowPartial),
                Loss = LossFunctions.Settings(parse.GetValue(loss)!), CacheFolder = parse.GetValue(cache)?.FullName,
                MaxBatchesPerEpoch = parse.GetValue(maxBatches),
            }.Validate();
            var fraction = parse.GetValue(validation);
            if (!(fraction > 0 && fraction < 1)) throw new ArgumentException($"--validation-fraction must be between 0 and 1 (got {fraction}).");

            var dataset = data.Load(parse, Console.Out);
            var split = PatientSplit.TrainValidation(dataset, fraction, options.Seed);
            Directory.CreateDirectory(runFolder);
            if (!parse.GetValue(resume))
            {
                LabelledFolderDataset.Write(Path.Combine(runFolder, "train.csv"), split.Train);
                LabelledFolderDataset.Write(Path.Combine(runFolder, "validation.csv"), split.Validation);
            }
            Console.WriteLine($"{dataset.Count} images: {split.Train.Count} train, {split.Validation.Count} validation (by patient, seed {options.Seed}); variant {options.Variant}");

            var result = SpectreTrainingObserver.Run(observer => new Trainer(options, observer).Run(split, runFolder, parse.GetValue(resume)));
            Console.WriteLine(result.StopReason);

            using var predictor = new CheckpointPredictor(result.BestCheckpoint, options.Threads);
            var run = Evaluator.Run(predictor, split.Validation, batchSize: options.BatchSize,
                options: new EvaluationOptions { Bootstrap = parse.GetValue(bootstrap) is > 0 and var n ? new BootstrapOptions { Iterations = n } : null });
            EvaluationReport.WriteJson(run, Path.Combine(runFolder, "validation.json"));
            EvaluationReport.PrintSummary(run, Console.Out);
            return 0;
        }));
        return command;
    }
}

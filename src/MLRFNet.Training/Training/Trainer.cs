using System.Diagnostics;
using MLRFNet.Core.Metrics;
using MLRFNet.Training.Checkpoints;
using MLRFNet.Training.Devices;
using MLRFNet.Imaging.Datasets;
using MLRFNet.Training.Losses;
using MLRFNet.Training.Models;
using MLRFNet.Training.Pretrained;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Training.Training;

/// <summary>The outcome of <see cref="Trainer.Run"/>.</summary>
public sealed record TrainingResult(
    string RunFolder,
    string BestCheckpoint,
    string LastCheckpoint,
    IReadOnlyList<EpochResult> Epochs,
    string StopReason,
    IReadOnlyList<string> UnreadableImages);

/// <summary>
/// The training loop (paper, Section IV-C): Adam with a step-decayed learning rate, the configured loss, validation
/// after every epoch, <c>best.ckpt</c> by validation loss, <c>last.ckpt</c> + <c>last.optim</c> + <c>state.json</c>
/// after every epoch so an interrupted run resumes where it stopped, early stopping on validation loss. Only the
/// split's train and validation parts are read; its test part is carried, never loaded (an official test list stays
/// out of training, early stopping and checkpoint choice). Tensors go to <see cref="TrainingOptions.Device"/>.
/// </summary>
public sealed class Trainer(TrainingOptions options, ITrainingObserver? observer = null)
{
    public const string BestCheckpointName = "best.ckpt";
    public const string LastCheckpointName = "last.ckpt";
    public const string OptimizerStateName = "last.optim";
    public const string MetricsFileName = "metrics.csv";

    private readonly TrainingOptions options = options.Validate();
    private readonly ITrainingObserver observer = observer ?? NullTrainingObserver.Instance;
    private torch.Device device = torch.CPU;

    /// <summary>
    /// Diagnostics seam: called with the image cache the run reads every image through, before any image is read
    /// (tests subscribe to <see cref="PreprocessedCache.ImageRead"/> to see which images the run touched).
    /// </summary>
    public Action<PreprocessedCache>? CacheOpened { get; init; }

    public TrainingResult Run(DatasetSplit split, string runFolder, bool resume = false, CancellationToken cancellationToken = default)
    {
        if (split.Train.Count < 2) throw new ArgumentException($"The training split has {split.Train.Count} images; at least 2 are needed.");
        if (split.Validation.Count < 1) throw new ArgumentException("The validation split is empty; early stopping and checkpoint selection need one.");
        Directory.CreateDirectory(runFolder);
        var state = resume ? TrainingState.Load(runFolder) : null;
        if (resume && state is null)
            throw new FileNotFoundException($"--resume: no {TrainingState.FileName} in {runFolder}; start without --resume.");
        if (!resume && File.Exists(Path.Combine(runFolder, TrainingState.FileName)))
            throw new IOException($"{runFolder} already holds a run; pass --resume to continue it or choose another --out (nothing is overwritten).");

        device = options.Device.Resolve();
        TorchThreads.Set(options.Threads);
        torch.manual_seed(options.Seed);
        var variant = ModelVariants.Get(options.Variant);
        var labels = split.Train.Labels;
        var spec = variant.Preprocessing;
        var lastPath = Path.Combine(runFolder, LastCheckpointName);
        var bestPath = Path.Combine(runFolder, BestCheckpointName);
        var optimPath = Path.Combine(runFolder, OptimizerStateName);
        var metrics = new MetricsLog(Path.Combine(runFolder, MetricsFileName), labels);

        MLRFNetModel model;
        CheckpointConfig config;
        if (state is not null)
        {
            if (state.Variant != variant.Name)
                throw new ArgumentException($"--resume: the run in {runFolder} trains '{state.Variant}', not '{variant.Name}'.");
            (model, config) = CheckpointFile.Load(lastPath);
            metrics.TruncateAfter(state.CompletedEpochs - 1);
            observer.Message($"resuming after epoch {state.CompletedEpochs} (best validation loss {state.BestValidationLoss:F5} at epoch {state.BestEpoch})");
        }
        else
        {
            model = new MLRFNetModel(variant, labels.Count);
            config = CheckpointConfig.For(model, labels, options.Loss, spec);
            if (options.Pretrained is { } pretrained)
            {
                var report = PretrainedImport.Import(model, pretrained, new ImportOptions { AllowMissing = options.AllowPartialPretrained });
                observer.Message($"pretrained {Path.GetFileName(pretrained)}: {report.Summary}");
                config = config with { PretrainedFrom = Path.GetFileName(pretrained) };
            }
        }

        model.to(device);
        using var loss = LossFunctions.Create(config.Loss);
        using var optimizer = optim.Adam(model.parameters(), lr: options.LearningRate);
        if (state is not null && File.Exists(optimPath)) optimizer.load_state_dict(optimPath);

        var cache = new PreprocessedCache(options.CacheFolder ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(runFolder))!, ".cache"), spec);
        CacheOpened?.Invoke(cache);
        var (train, unreadableTrain) = cache.Warm(split.Train, options.LoaderWorkers);
        var (validation, unreadableValidation) = cache.Warm(split.Validation, options.LoaderWorkers);
        foreach (var u in unreadableTrain.Concat(unreadableValidation)) observer.Message("skipped unreadable image " + u);
        if (train.Count < 2 || validation.Count < 1)
            throw new InvalidDataException($"Too few readable images left: {train.Count} train, {validation.Count} validation.");
        split = new DatasetSplit(train, validation, split.Test);
        var trainLoader = new BatchLoader(split.Train, cache, spec,
            new LoaderOptions { BatchSize = options.BatchSize, Train = true, DropLast = split.Train.Count > options.BatchSize, Workers = options.LoaderWorkers, Augmentation = options.Augmentation },
            options.Seed);
        var validationLoader = new BatchLoader(split.Validation, cache, spec,
            new LoaderOptions { BatchSize = options.BatchSize, Train = false, Workers = options.LoaderWorkers }, options.Seed);

        var history = new List<EpochResult>();
        var best = state?.BestValidationLoss ?? double.PositiveInfinity;
        var bestEpoch = state?.BestEpoch ?? -1;
        var stale = state?.EpochsWithoutImprovement ?? 0;
        var stopReason = $"reached {options.Epochs} epochs";
        for (var epoch = state?.CompletedEpochs ?? 0; epoch < options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lr = options.LearningRateAt(epoch);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            var clock = Stopwatch.StartNew();
            var (trainLoss, imagesPerSecond) = TrainEpoch(model, loss, optimizer, trainLoader, epoch, cancellationToken);
            var (validationLoss, evaluation) = Validate(model, loss, validationLoader, split.Validation);
            var improved = validationLoss < best;
            if (improved) { best = validationLoss; bestEpoch = epoch; stale = 0; } else stale++;

            var epochConfig = config with { Epoch = epoch, Metrics = new Dictionary<string, double> { ["val_loss"] = validationLoss, ["val_mean_auc"] = evaluation.MeanAuc ?? double.NaN } };
            CheckpointFile.Save(lastPath, model, epochConfig);
            optimizer.save_state_dict(optimPath + ".tmp");
            File.Move(optimPath + ".tmp", optimPath, overwrite: true);
            if (improved) File.Copy(lastPath, bestPath, overwrite: true);

            var row = new EpochResult(epoch, trainLoss, validationLoss, evaluation.MeanAuc,
                evaluation.Classes.Select(c => c.Auc).ToArray(), lr, clock.Elapsed.TotalSeconds, imagesPerSecond, improved);
            metrics.Append(row);
            history.Add(row);
            var stop = options.Patience > 0 && stale >= options.Patience;
            if (stop) stopReason = $"early stop: validation loss has not improved for {stale} epochs (best {best:F5} at epoch {bestEpoch})";
            new TrainingState
            {
                CompletedEpochs = epoch + 1, BestValidationLoss = best, BestEpoch = bestEpoch, EpochsWithoutImprovement = stale,
                Variant = variant.Name, Seed = options.Seed, Stopped = stop, StopReason = stop ? stopReason : null,
            }.Save(runFolder);
            observer.EpochFinished(row);
            if (stop) break;
        }

        var late = trainLoader.Unreadable.Concat(validationLoader.Unreadable).Distinct().ToArray(); // e.g. a file changed mid-run
        foreach (var u in late) observer.Message("skipped unreadable image " + u);
        var unreadable = unreadableTrain.Concat(unreadableValidation).Concat(late).ToArray();
        model.Dispose();
        return new TrainingResult(runFolder, bestPath, lastPath, history, stopReason, unreadable);
    }

    private (double Loss, double ImagesPerSecond) TrainEpoch(MLRFNetModel model, MultiLabelLoss loss, optim.Optimizer optimizer, BatchLoader loader, int epoch, CancellationToken cancellationToken)
    {
        model.train();
        var batches = Math.Min(loader.BatchesPerEpoch, options.MaxBatchesPerEpoch ?? int.MaxValue);
        observer.EpochStarted(epoch, options.Epochs, batches);
        double total = 0;
        long images = 0;
        var index = 0;
        var clock = Stopwatch.StartNew();
        foreach (var batch in loader.Epoch(epoch, cancellationToken).ToBlockingEnumerable(cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested(); // a cut epoch is abandoned whole, never saved
            if (index >= batches) break;
            using var scope = NewDisposeScope();
            var x = ToImages(batch, model, device);
            var y = torch.tensor(batch.Targets, [batch.Count, model.NumClasses]).to(device);
            optimizer.zero_grad();
            var value = loss.call(model.call(x), y);
            value.backward();
            optimizer.step();
            var l = value.item<float>();
            if (!float.IsFinite(l))
                throw new InvalidOperationException($"Training loss became {l} at epoch {epoch}, batch {index}; lower --lr or check the inputs.");
            total += l * batch.Count;
            images += batch.Count;
            index++;
            observer.BatchFinished(epoch, index, batches, l, images / clock.Elapsed.TotalSeconds);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return (total / Math.Max(1, images), images / clock.Elapsed.TotalSeconds);
    }

    private (double Loss, MultilabelEvaluation Evaluation) Validate(MLRFNetModel model, MultiLabelLoss loss, BatchLoader loader, XrayDataset dataset)
    {
        var (scores, targets, lossSum, count) = Predict(model, loss, loader, device);
        var labels = targets.Select(t => t >= 0.5f ? 1 : 0).ToArray();
        var evaluation = MultilabelEvaluator.Evaluate(scores, labels, dataset.Labels, new EvaluationOptions { Bootstrap = null });
        return (lossSum / Math.Max(1, count), evaluation);
    }

    /// <summary>Probabilities and targets (row-major [n, C]) over a loader's epoch 0, in loader order.</summary>
    internal static (float[] Scores, float[] Targets, double LossSum, int Count) Predict(MLRFNetModel model, MultiLabelLoss? loss, BatchLoader loader, torch.Device? device = null)
    {
        device ??= torch.CPU;
        model.eval();
        var scores = new List<float>();
        var targets = new List<float>();
        double lossSum = 0;
        var count = 0;
        using var noGrad = torch.no_grad();
        foreach (var batch in loader.Epoch(0).ToBlockingEnumerable())
        {
            using var scope = NewDisposeScope();
            var x = ToImages(batch, model, device);
            var logits = model.call(x);
            if (loss is not null)
            {
                var y = torch.tensor(batch.Targets, [batch.Count, model.NumClasses]).to(device);
                lossSum += loss.call(logits, y).item<float>() * batch.Count;
            }
            scores.AddRange(torch.sigmoid(logits).cpu().data<float>().ToArray());
            targets.AddRange(batch.Targets);
            count += batch.Count;
        }
        return (scores.ToArray(), targets.ToArray(), lossSum, count);
    }

    /// <summary>The batch's images as an NCHW tensor on <paramref name="device"/> (one host-to-device copy).</summary>
    internal static Tensor ToImages(Batch batch, MLRFNetModel model, torch.Device device)
    {
        var spec = model.Variant.Preprocessing;
        var host = torch.tensor(batch.Images, [batch.Count, spec.Channels, spec.CropSize, spec.CropSize]);
        return device.type == DeviceType.CPU ? host : host.to(device, non_blocking: true);
    }
}

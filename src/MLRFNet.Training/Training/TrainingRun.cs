using MLRFNet.Core.Metrics;
using MLRFNet.Imaging.Datasets;
using MLRFNet.Training.Evaluation;

namespace MLRFNet.Training.Training;

/// <summary>What <c>mlrfnet train</c> asks for.</summary>
public sealed record TrainingRunRequest
{
    public required DatasetSource Source { get; init; }

    /// <summary>Null: <see cref="RunSplits.Default"/> (a patient split, refused beside NIH's official lists).</summary>
    public SplitRequest? Split { get; init; }

    public SplitSettings SplitSettings { get; init; } = new();
    public TrainingOptions Options { get; init; } = new();
    public required string RunFolder { get; init; }
    public bool Resume { get; init; }

    /// <summary>Bootstrap resamples for the final validation CIs (0 = none).</summary>
    public int Bootstrap { get; init; } = 1000;
}

/// <summary>The outcome of <see cref="TrainingRun.Run"/>: the split made, the training, the best checkpoint on validation.</summary>
public sealed record TrainingRunResult(int Images, DatasetSplit Split, SplitRecord Record, TrainingResult Training, EvaluationRun Validation);

/// <summary>
/// One training job, as <c>mlrfnet train</c> runs it: load the data, make and record the split (<c>split.json</c>,
/// <c>train.csv</c>, <c>validation.csv</c>, <c>test.csv</c>), train on the train part with the validation part for
/// early stopping, then evaluate the best checkpoint on the validation part. The test part is never loaded here.
/// </summary>
public static class TrainingRun
{
    public static TrainingRunResult Run(TrainingRunRequest request, ITrainingObserver observer, Action<PreprocessedCache>? cacheOpened = null)
    {
        var options = request.Options.Validate();
        if (request.Bootstrap < 0) throw new ArgumentException($"--bootstrap must be 0 or more (got {request.Bootstrap}).");
        options.Device.Resolve(); // a device that cannot work fails before the data is read
        if (!request.Resume && File.Exists(Path.Combine(request.RunFolder, TrainingState.FileName)))
            throw new IOException($"{request.RunFolder} already holds a run; pass --resume to continue it or choose another --out (nothing is overwritten).");
        var splitRequest = request.Split ?? RunSplits.Default(request.Source);
        var dataset = request.Source.Load();
        foreach (var skipped in dataset.Skipped) observer.Message("skipped: " + skipped);
        if (dataset.Count == 0) throw new InvalidDataException($"No usable images: {request.Source.Labels} lists none that exist under {string.Join(", ", request.Source.Images)}.");
        var (split, record) = RunSplits.Make(request.Source, dataset, splitRequest, request.SplitSettings with { Seed = options.Seed });

        Directory.CreateDirectory(request.RunFolder);
        record.Write(request.RunFolder);
        if (!request.Resume)
        {
            LabelledFolderDataset.Write(Path.Combine(request.RunFolder, "train.csv"), split.Train);
            LabelledFolderDataset.Write(Path.Combine(request.RunFolder, "validation.csv"), split.Validation);
            if (split.Test is { Count: > 0 } test) LabelledFolderDataset.Write(Path.Combine(request.RunFolder, "test.csv"), test);
        }
        observer.Message($"{dataset.Count} images: {split.Train.Count} train, {split.Validation.Count} validation, {split.Test?.Count ?? 0} test " +
                         $"({record.Kind} split by patient, seed {options.Seed}{(record.LeftOut > 0 ? $"; {record.LeftOut} in no list, left out" : "")}); variant {options.Variant} on {options.Device}");

        var trainer = new Trainer(options, observer) { CacheOpened = cacheOpened };
        var result = trainer.Run(split, request.RunFolder, request.Resume);
        using var predictor = new CheckpointPredictor(result.BestCheckpoint, options.Threads, options.Device);
        var validation = Evaluator.Run(predictor, split.Validation, batchSize: options.BatchSize,
            options: new EvaluationOptions { Bootstrap = request.Bootstrap > 0 ? new BootstrapOptions { Iterations = request.Bootstrap } : null });
        return new TrainingRunResult(dataset.Count, split, record, result, validation);
    }
}

using MLRFNet.Imaging.Datasets;
using MLRFNet.Training.Training;

namespace MLRFNet.Training.Evaluation;

/// <summary>What <c>mlrfnet evaluate</c> judges: a model and a labelled set, given directly or taken from a run folder.</summary>
public sealed record RunEvaluationSet(string Model, XrayDataset Dataset, string? RunFolder)
{
    /// <summary>
    /// <paramref name="runFolder"/> with <paramref name="part"/> (test | validation): the run's best checkpoint (unless
    /// <paramref name="model"/> names another, e.g. its ONNX export) on that part of its recorded split, reloaded
    /// exactly. Without a part, <paramref name="loadData"/> gives the set (the run folder then only guards overlaps).
    /// </summary>
    public static RunEvaluationSet Resolve(string? runFolder, string? part, string? model, Func<XrayDataset>? loadData)
    {
        if (part is not null && runFolder is null) throw new ArgumentException("--split takes the part from a run folder; give --run RUN_DIR too.");
        if (part is not null && loadData is not null) throw new ArgumentException("--split test|validation takes the images from the run's split.json; leave out --labels/--images.");
        if (runFolder is not null && !Directory.Exists(runFolder)) throw new DirectoryNotFoundException($"--run folder not found: {runFolder}");
        model ??= runFolder is null ? throw new ArgumentException("--model is missing; give a checkpoint or an ONNX model (or --run RUN_DIR for its best.ckpt).")
            : Path.Combine(runFolder, Trainer.BestCheckpointName);
        if (!File.Exists(model)) throw new FileNotFoundException($"--model file not found: {model}", model);
        XrayDataset dataset;
        if (part is not null) dataset = SplitRecord.Read(runFolder!).LoadPart(ParsePart(part));
        else dataset = loadData?.Invoke() ?? throw new ArgumentException("No images to evaluate: give --labels and --images, or --run RUN_DIR --split test.");
        if (dataset.Count == 0) throw new InvalidDataException($"The {part ?? "given"} set is empty; nothing to evaluate.");
        return new RunEvaluationSet(model, dataset, runFolder);
    }

    public static SplitPart ParsePart(string text) => text.Trim().ToLowerInvariant() switch
    {
        "test" => SplitPart.Test,
        "validation" or "val" => SplitPart.Validation,
        _ => throw new ArgumentException($"--split '{text}' is not a part to evaluate; use test or validation (the train part only flatters the model)."),
    };
}

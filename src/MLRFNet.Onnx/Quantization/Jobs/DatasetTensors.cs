using MLRFNet.Core.Manifest;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Onnx.Qa;
using MLRFNet.Onnx.Quantization.Proto;
using MLRFNet.Imaging.Datasets;
using Onnx;

namespace MLRFNet.Onnx.Quantization.Jobs;

/// <summary>
/// Labelled X-rays as model inputs for <see cref="QuantizeJob"/> and <see cref="Qa.QaJob"/>: every image goes through the model's own
/// <see cref="PreprocessingSpec"/> (from its manifest) with the same cache and loader as <c>train</c> and
/// <c>evaluate</c> (<see cref="PreprocessedCache"/>, <see cref="BatchLoader"/> in eval mode, i.e.
/// <c>EvalTransform</c>), so calibration and the gate see exactly the tensors inference will.
/// </summary>
public static class DatasetTensors
{
    /// <summary>Same folder as <c>evaluate</c>'s cache: entries are keyed by file content and resize, so sharing is safe.</summary>
    public static string DefaultCacheFolder { get; } = Path.Combine(Path.GetTempPath(), "mlrfnet-eval-cache");

    public static PreprocessedCache Cache(PreprocessingSpec spec, string? folder) => new(folder ?? DefaultCacheFolder, spec);

    /// <summary>[C, H, W] of one preprocessed image.</summary>
    public static long[] SampleShape(PreprocessingSpec spec) => [spec.Channels, spec.CropSize, spec.CropSize];

    /// <summary>
    /// At most <paramref name="max"/> images spread evenly over the file (labels files are often sorted by patient or
    /// date, so the first N would be a biased calibration set); the whole dataset when it is small enough.
    /// </summary>
    public static XrayDataset EvenlySpaced(XrayDataset dataset, int max)
    {
        if (max < 1) throw new ArgumentException($"The image limit must be at least 1 (got {max}).");
        if (dataset.Count <= max) return dataset;
        return dataset.Subset(Enumerable.Range(0, max).Select(i => dataset.Items[(int)((long)i * dataset.Count / max)]));
    }

    /// <summary>The single non-initializer input of the model (the image), which calibration feeds.</summary>
    public static string ImageInputName(ModelProto model)
    {
        var index = new GraphIndex(model.Graph);
        var inputs = model.Graph.Input.Select(i => i.Name).Where(n => !index.IsInitializer(n)).ToArray();
        return inputs.Length == 1 ? inputs[0]
            : throw new InvalidDataException($"The model has {inputs.Length} inputs ({string.Join(", ", inputs)}); calibration feeds models with one image input.");
    }

    /// <summary>Every readable image of <paramref name="dataset"/> with its targets, in file order; unreadable ones are reported on <paramref name="progress"/>.</summary>
    public static EvaluationSet LoadEvaluationSet(XrayDataset dataset, PreprocessingSpec spec, PreprocessedCache cache, string description, IProgress<JobEvent>? progress)
    {
        var loader = Loader(dataset, spec, cache, batchSize: 16);
        var samples = new List<EvaluationSample>(dataset.Count);
        var size = spec.Channels * spec.CropSize * spec.CropSize;
        var classes = dataset.Labels.Count;
        foreach (var batch in loader.Epoch(0).ToBlockingEnumerable())
            for (var i = 0; i < batch.Count; i++)
                samples.Add(new EvaluationSample(batch.ImageIndices[i], batch.Images.AsSpan(i * size, size).ToArray(),
                    batch.Targets.AsSpan(i * classes, classes).ToArray()));
        foreach (var line in loader.Unreadable) progress?.Report(JobEvent.Info("unreadable, skipped: " + line));
        if (samples.Count == 0)
            throw new InvalidDataException($"None of the {dataset.Count} images could be read: {string.Join("; ", loader.Unreadable.Take(3))}");
        // The record names the set and fingerprints the images actually read (SHA-256 of each file, with its labels).
        var paths = dataset.Items.GroupBy(i => i.ImageIndex, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().ImagePath, StringComparer.Ordinal);
        var record = DataSetRecord.Of(description, samples.Select(s => (paths[s.Name], (IReadOnlyList<float>)s.Targets)).ToArray());
        return new EvaluationSet($"{description}, {samples.Count} images", dataset.Labels, SampleShape(spec), samples, record);
    }

    public static BatchLoader Loader(XrayDataset dataset, PreprocessingSpec spec, PreprocessedCache cache, int batchSize) =>
        new(dataset, cache, spec, new LoaderOptions { BatchSize = batchSize, Train = false, Prefetch = 2 }, seed: 0);
}

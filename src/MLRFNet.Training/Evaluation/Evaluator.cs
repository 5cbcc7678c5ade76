using System.Diagnostics;
using System.Globalization;
using System.Text;
using MLRFNet.Core.Metrics;
using MLRFNet.Imaging.Datasets;

namespace MLRFNet.Training.Evaluation;

/// <summary>Predictions of one model on a labelled set, in dataset order, with timing.</summary>
public sealed record EvaluationRun(
    string Model,
    XrayDataset Dataset,
    IReadOnlyList<string> ImageIndices,
    float[] Probabilities,
    int[] Labels,
    MultilabelEvaluation Metrics,
    double ForwardSeconds,
    double TotalSeconds,
    IReadOnlyList<string> Unreadable);

/// <summary>
/// Runs a model over a labelled set (decoding and preprocessing on a prefetching loader, so the model's forward
/// passes are the critical path) and computes per-class AUC with bootstrap CIs and threshold metrics.
/// </summary>
public static class Evaluator
{
    public static EvaluationRun Run(IBatchPredictor predictor, XrayDataset dataset, PreprocessedCache? cache = null,
        int batchSize = 16, EvaluationOptions? options = null, int loaderWorkers = 1)
    {
        if (!predictor.Labels.Equals(dataset.Labels) && !predictor.Labels.Labels.SequenceEqual(dataset.Labels.Labels))
            throw new ArgumentException(
                $"The model predicts [{string.Join(", ", predictor.Labels.Labels)}] but the labels file has [{string.Join(", ", dataset.Labels.Labels)}]; evaluate with a matching label set.");
        var total = Stopwatch.StartNew();
        cache ??= new PreprocessedCache(Path.Combine(Path.GetTempPath(), "mlrfnet-eval-cache"), predictor.Preprocessing);
        var loader = new BatchLoader(dataset, cache, predictor.Preprocessing,
            new LoaderOptions { BatchSize = batchSize, Train = false, Workers = loaderWorkers }, seed: 0);
        var names = new List<string>(dataset.Count);
        var probabilities = new List<float>(dataset.Count * dataset.Labels.Count);
        var targets = new List<int>(dataset.Count * dataset.Labels.Count);
        var forward = new Stopwatch();
        foreach (var batch in loader.Epoch(0).ToBlockingEnumerable())
        {
            forward.Start();
            var p = predictor.Predict(batch.Images, batch.Count);
            forward.Stop();
            probabilities.AddRange(p);
            targets.AddRange(batch.Targets.Select(t => t >= 0.5f ? 1 : 0));
            names.AddRange(batch.ImageIndices);
        }
        if (names.Count == 0)
            throw new InvalidDataException($"None of the {dataset.Count} images could be read: {string.Join("; ", loader.Unreadable.Take(3))}");
        var metrics = MultilabelEvaluator.Evaluate(probabilities.ToArray(), targets.ToArray(), dataset.Labels,
            (options ?? new EvaluationOptions()) with { Thresholds = predictor.Thresholds ?? Enumerable.Repeat(0.5f, dataset.Labels.Count).ToArray() });
        return new EvaluationRun(predictor.Description, dataset, names, probabilities.ToArray(), targets.ToArray(), metrics,
            forward.Elapsed.TotalSeconds, total.Elapsed.TotalSeconds, loader.Unreadable);
    }

    /// <summary>
    /// The predictions CSV contract: header <c>Image Index,&lt;class 1&gt;,...</c>, one probability per class.
    /// Written to a temporary name and renamed; an existing file is not overwritten.
    /// </summary>
    public static void WritePredictions(EvaluationRun run, string path)
    {
        if (File.Exists(path)) throw new IOException($"{path} already exists; choose another --out (nothing is overwritten).");
        var classes = run.Dataset.Labels.Count;
        var text = new StringBuilder();
        text.Append("Image Index,").AppendJoin(',', run.Dataset.Labels.Labels).Append('\n');
        for (var i = 0; i < run.ImageIndices.Count; i++)
        {
            text.Append(Csv(run.ImageIndices[i]));
            for (var c = 0; c < classes; c++)
                text.Append(',').Append(run.Probabilities[i * classes + c].ToString("R", CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text.ToString());
        File.Move(tmp, path);
    }

    private static string Csv(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}

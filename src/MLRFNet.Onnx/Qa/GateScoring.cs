using System.Diagnostics;
using MLRFNet.Core.Manifest;
using MLRFNet.Inference;

namespace MLRFNet.Onnx.Qa;

/// <summary>
/// How the gate scores a model: through <see cref="OnnxXrayScorer"/>, the code the edge service runs, so the gate
/// judges the numbers a clinic box would produce and refuses, with the box's own message, a model whose I/O breaks
/// MLRFNet's contract (<see cref="ModelContractException"/>). The scores are the model's <c>probabilities</c>.
/// </summary>
public static class GateScoring
{
    /// <summary>The model output the gate compares (the scorer's <see cref="ScoringResult.Probabilities"/>).</summary>
    public const string OutputName = "probabilities";

    /// <summary>The scorer options the gate uses: CPU, <see cref="QualityGateOptions.BatchSize"/> images per run.</summary>
    public static XrayScorerOptions ScorerOptions(QualityGateOptions options) =>
        new() { BatchSize = Math.Min(options.BatchSize, XrayScorerOptions.MaxBatchSize) };

    /// <summary>[n, C] probabilities in sample order and the median batch-1 latency in milliseconds.</summary>
    public static (float[] Scores, double MedianLatencyMs) Score(VerifiedModelFile model, EvaluationSet evaluation, QualityGateOptions options)
    {
        using var scorer = new OnnxXrayScorer(model, ScorerOptions(options));
        var classes = evaluation.LabelSet.Count;
        var scores = new float[evaluation.Samples.Count * classes];
        for (var start = 0; start < evaluation.Samples.Count; start += options.BatchSize)
        {
            var batch = evaluation.Samples.Skip(start).Take(options.BatchSize).Select(s => s.Input).ToArray();
            var results = scorer.Score(batch);
            for (var i = 0; i < results.Count; i++)
            {
                if (results[i].Probabilities.Length != classes)
                    throw new InvalidDataException($"'{model.ModelPath}' gives {results[i].Probabilities.Length} probabilities per image; the label set has {classes} classes.");
                results[i].Probabilities.CopyTo(scores, (start + i) * classes);
            }
        }

        float[][] one = [evaluation.Samples[0].Input];
        for (var i = 0; i < options.LatencyWarmupRuns; i++) scorer.Score(one);
        var times = new double[options.LatencyRuns];
        for (var i = 0; i < times.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            scorer.Score(one);
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(times);
        var median = times.Length % 2 == 1 ? times[times.Length / 2] : (times[times.Length / 2 - 1] + times[times.Length / 2]) / 2;
        return (scores, median);
    }
}

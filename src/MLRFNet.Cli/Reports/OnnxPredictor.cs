using MLRFNet.Core.Labels;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Inference;
using MLRFNet.Training.Devices;
using MLRFNet.Training.Evaluation;

namespace MLRFNet.Cli.Reports;

/// <summary>An ONNX model (with its manifest) through ONNX Runtime, as an <see cref="IBatchPredictor"/>.</summary>
internal sealed class OnnxPredictor(IXrayScorer scorer, string path) : IBatchPredictor
{
    public string Description { get; } =
        $"{Path.GetFileName(path)} ({scorer.Manifest.Architecture}, {scorer.Manifest.Precision.ToString().ToLowerInvariant()}, ONNX Runtime {scorer.ExecutionProvider})";

    public LabelSet Labels => scorer.Manifest.LabelSet;

    public PreprocessingSpec Preprocessing => scorer.Manifest.Preprocessing;

    public float[]? Thresholds => scorer.Manifest.Thresholds;

    public float[] Predict(float[] images, int count)
    {
        var length = images.Length / count;
        var inputs = new float[count][];
        for (var i = 0; i < count; i++) inputs[i] = images.AsSpan(i * length, length).ToArray();
        return scorer.Score(inputs).SelectMany(r => r.Probabilities).ToArray();
    }

    public void Dispose() => scorer.Dispose();

    /// <summary>A checkpoint (TorchSharp) or an ONNX model (ONNX Runtime), chosen by the file's content.</summary>
    public static IBatchPredictor Open(string path, int threads, int batchSize, TrainingDevice? device = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"--model file not found: {path}", path);
        if (IsZip(path)) return new CheckpointPredictor(path, threads, device);
        if (device is { IsCuda: true }) throw new ArgumentException($"--device {device} applies to checkpoints; {Path.GetFileName(path)} is an ONNX model, which evaluate runs on ONNX Runtime's CPU provider (leave --device out).");
        var scorer = new OnnxXrayScorer(path, new XrayScorerOptions { IntraOpThreads = threads, BatchSize = Math.Min(batchSize, XrayScorerOptions.MaxBatchSize) });
        return new OnnxPredictor(scorer, path);
    }

    // A checkpoint is a zip ("PK\x03\x04"); an ONNX file is a protobuf, which never starts with those bytes.
    private static bool IsZip(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.Read(head) == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }
}

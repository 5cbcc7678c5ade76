using MLRFNet.Inference;

namespace MLRFNet.Benchmarks;

/// <summary>
/// An ONNX model through <see cref="OnnxXrayScorer"/>, the class the edge service scores with: CPU execution
/// provider, all graph optimizations, the given intra-op threads, no class maps (pure classification).
/// </summary>
public sealed class OrtEngine : IBenchEngine
{
    private readonly OnnxXrayScorer scorer;

    /// <param name="precision">The row's precision label, e.g. "FP32" or "INT8 U8S8" (<see cref="BenchModel.Label"/>).</param>
    public OrtEngine(string onnxPath, string precision, int threads, int maxBatch)
    {
        scorer = new OnnxXrayScorer(onnxPath, new XrayScorerOptions
        {
            IntraOpThreads = threads,
            BatchSize = maxBatch,
            GraphOptimization = GraphOptimization.All,
        });
        Precision = precision;
    }

    public string Name => $"ONNX Runtime {Precision}";
    public string Runtime => "ONNX Runtime";
    public string Precision { get; }

    public float[] Run(BenchBatch batch)
    {
        var results = scorer.Score(batch.Images);
        var classes = results[0].Probabilities.Length;
        var probabilities = new float[results.Count * classes];
        for (var i = 0; i < results.Count; i++) results[i].Probabilities.CopyTo(probabilities, i * classes);
        return probabilities;
    }

    public void Dispose() => scorer.Dispose();
}

using MLRFNet.Core.Manifest;

namespace MLRFNet.Inference;

/// <summary>
/// Scores preprocessed X-ray tensors with one model. The edge service and the CLI depend on this seam; the ONNX
/// Runtime implementation is <c>OnnxXrayScorer</c>, tests use fakes.
/// </summary>
public interface IXrayScorer : IDisposable
{
    /// <summary>The model's manifest: labels, preprocessing, thresholds, SHA-256, QA result.</summary>
    ModelManifest Manifest { get; }

    /// <summary>The execution provider actually in use ("CPU", "CUDA", "TensorRT").</summary>
    string ExecutionProvider { get; }

    /// <summary>
    /// Scores a batch. Each input is one image as a C×H×W float tensor (row-major, the manifest's preprocessing
    /// already applied). Returns one result per input, in order. Inputs larger than the session's batch size are
    /// split into several runs.
    /// </summary>
    IReadOnlyList<ScoringResult> Score(IReadOnlyList<float[]> inputs, bool includeClassMaps = false);
}

/// <summary>Per-image output of a model.</summary>
/// <param name="Logits">One logit per class, in label order.</param>
/// <param name="Probabilities">sigmoid(logits), in label order.</param>
/// <param name="ClassMaps">The per-level class score maps (u2, u3, u4) when asked for and present.</param>
public sealed record ScoringResult(float[] Logits, float[] Probabilities, IReadOnlyList<ClassMap>? ClassMaps);

/// <summary>One level's class score map for one image: <c>Values[c * Height * Width + y * Width + x]</c>.</summary>
public sealed record ClassMap(string Name, int Classes, int Height, int Width, float[] Values);

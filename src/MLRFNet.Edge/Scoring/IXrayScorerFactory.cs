using MLRFNet.Core.Manifest;
using MLRFNet.Edge.Options;
using MLRFNet.Inference;

namespace MLRFNet.Edge.Scoring;

/// <summary>What the service asks of a scorer: the model (already accepted by <see cref="ManifestPolicy"/>) and how to run it.</summary>
/// <param name="Model">The ONNX bytes and manifest, read, hashed and checked once by <see cref="ManifestPolicy"/>.</param>
/// <param name="Providers">Execution providers, best first.</param>
/// <param name="Threads">Intra-op threads (0: runtime default).</param>
/// <param name="BatchSize">Largest batch per model run.</param>
/// <param name="NativeLibraryPath">A device-provided libonnxruntime.so (<c>Inference:NativeLibraryPath</c>), or null.</param>
/// <param name="TensorRtCacheFolder">Where TensorRT keeps built engines (<c>Inference:TensorRtCacheFolder</c>), or null.</param>
public sealed record ScorerRequest(VerifiedModelFile Model, IReadOnlyList<ExecutionProviderPreference> Providers,
    int Threads, int BatchSize, string? NativeLibraryPath, string? TensorRtCacheFolder)
{
    public string ModelPath => Model.ModelPath;

    public ModelManifest Manifest => Model.Manifest;
}

/// <summary>
/// Creates the <see cref="IXrayScorer"/> once at start. The ONNX Runtime implementation comes from
/// MLRFNet.Inference; tests register a fake. Throwing here stops the service at start with the message.
/// </summary>
public interface IXrayScorerFactory
{
    IXrayScorer Create(ScorerRequest request);
}

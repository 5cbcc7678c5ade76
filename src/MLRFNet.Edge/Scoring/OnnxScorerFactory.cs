using MLRFNet.Edge.Options;
using MLRFNet.Inference;
using Microsoft.Extensions.Logging;

namespace MLRFNet.Edge.Scoring;

/// <summary>
/// The production scorer: a thin adapter from the service's options to MLRFNet.Inference's
/// <see cref="OnnxXrayScorer"/>, created from the model bytes <see cref="ModelHost"/> already verified (not read or hashed again).
/// </summary>
internal sealed class OnnxScorerFactory(ILoggerFactory loggers) : IXrayScorerFactory
{
    // The service's enum, mapped to the names MLRFNet.Inference's provider registry knows.
    private static readonly Dictionary<ExecutionProviderPreference, string> providerNames = new()
    {
        [ExecutionProviderPreference.TensorRT] = "TensorRT",
        [ExecutionProviderPreference.Cuda] = "CUDA",
        [ExecutionProviderPreference.Cpu] = "CPU",
    };

    public IXrayScorer Create(ScorerRequest request) =>
        new OnnxXrayScorer(request.Model, new XrayScorerOptions
        {
            ExecutionProviders = request.Providers.Select(p => providerNames[p]).ToArray(),
            IntraOpThreads = request.Threads,
            BatchSize = request.BatchSize,
            NativeLibraryPath = request.NativeLibraryPath,
            TensorRtCacheDirectory = request.TensorRtCacheFolder,
        }, loggers.CreateLogger<OnnxXrayScorer>());
}

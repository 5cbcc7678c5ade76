using MLRFNet.Core.Manifest;
using MLRFNet.Edge.Health;
using MLRFNet.Edge.Options;
using MLRFNet.Inference;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Scoring;

/// <summary>
/// Loads the model at start (before the intake takes a file): checks it with <see cref="ModelGate"/>, creates the
/// scorer through the factory and checks the scorer agrees with the manifest. Any failure stops the host.
/// </summary>
internal sealed class ModelHost(IXrayScorerFactory factory, IOptions<InferenceOptions> options, ServiceState state,
    ILogger<ModelHost> logger) : IHostedService, IDisposable
{
    private IXrayScorer? scorer;

    public IXrayScorer Scorer => scorer ?? throw new InvalidOperationException("The model is not loaded yet.");

    public ModelManifest Manifest => Scorer.Manifest;

    public string ModelSha256 { get; private set; } = "";

    /// <summary>How long checking and loading the model took at start (the console's /metrics); null before.</summary>
    public TimeSpan? LoadTime { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var loadStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var manifest = ModelGate.Check(o.ModelPath);
        ModelSha256 = manifest.OnnxSha256.ToLowerInvariant();
        var created = factory.Create(new ScorerRequest(Path.GetFullPath(o.ModelPath), manifest, o.EffectiveProviders,
            o.Threads, o.BatchSize, string.IsNullOrWhiteSpace(o.NativeLibraryPath) ? null : o.NativeLibraryPath,
            string.IsNullOrWhiteSpace(o.TensorRtCacheFolder) ? null : o.TensorRtCacheFolder));
        if (created.Manifest.Labels.Length != manifest.Labels.Length
            || !created.Manifest.Labels.AsSpan().SequenceEqual(manifest.Labels))
        {
            created.Dispose();
            throw new ModelRefusedException($"The scorer's labels ({string.Join(", ", created.Manifest.Labels)}) differ from the manifest's; the model and manifest do not belong together.");
        }
        scorer = created;
        LoadTime = System.Diagnostics.Stopwatch.GetElapsedTime(loadStarted);
        state.Provider = created.ExecutionProvider;
        state.Model = $"{manifest.ModelName} {manifest.ModelVersion} ({manifest.Precision})";
        Log.ModelLoaded(logger, manifest.ModelName, manifest.ModelVersion, manifest.Precision.ToString(), created.ExecutionProvider, ModelSha256);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => scorer?.Dispose();
}

using MLRFNet.Core.Manifest;
using MLRFNet.Edge.Health;
using MLRFNet.Edge.Options;
using MLRFNet.Inference;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Scoring;

/// <summary>
/// Loads the model at start (before the intake takes a file): applies <see cref="ManifestPolicy"/> once (signature
/// by a trusted key, SHA-256, QA verdict; the file is read and hashed once), creates the scorer from those verified
/// bytes and checks the scorer agrees with the manifest. A refused model with <see cref="InferenceOptions.FallbackModelPath"/>
/// set falls back to that model (state <c>degraded</c>); otherwise the refusal stops the host
/// (<see cref="EdgeHost.ExitCodes.ModelRefused"/>).
/// </summary>
internal sealed class ModelHost(IXrayScorerFactory factory, IOptions<InferenceOptions> options, ServiceState state,
    IModelHasher hasher, ILogger<ModelHost> logger) : IHostedService, IDisposable
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
        var model = Verify(o);
        ModelSha256 = model.Sha256;
        var manifest = model.Manifest;
        var created = factory.Create(new ScorerRequest(model, o.EffectiveProviders,
            o.Threads, o.BatchSize, string.IsNullOrWhiteSpace(o.NativeLibraryPath) ? null : o.NativeLibraryPath,
            string.IsNullOrWhiteSpace(o.TensorRtCacheFolder) ? null : o.TensorRtCacheFolder));
        if (created.Manifest.Labels.Length != manifest.Labels.Length
            || !created.Manifest.Labels.AsSpan().SequenceEqual(manifest.Labels))
        {
            created.Dispose();
            throw new ModelContractException(model.ModelPath, $"The scorer's labels ({string.Join(", ", created.Manifest.Labels)}) differ from the manifest's; the model and manifest do not belong together.");
        }
        scorer = created;
        LoadTime = System.Diagnostics.Stopwatch.GetElapsedTime(loadStarted);
        state.Provider = created.ExecutionProvider;
        state.Model = $"{manifest.ModelName} {manifest.ModelVersion} ({manifest.Precision})";
        Log.ModelLoaded(logger, manifest.ModelName, manifest.ModelVersion, manifest.Precision.ToString(), created.ExecutionProvider, ModelSha256);
        return Task.CompletedTask;
    }

    private VerifiedModelFile Verify(InferenceOptions o)
    {
        var policy = new ManifestPolicy
        {
            TrustedKeys = LoadTrustedKeys(o),
            RequireQaVerdict = true,
            Hasher = hasher,
        };
        try
        {
            return policy.Load(o.ModelPath);
        }
        catch (ModelRefusedException refused) when (!string.IsNullOrWhiteSpace(o.FallbackModelPath))
        {
            VerifiedModelFile fallback;
            try
            {
                fallback = policy.Load(o.FallbackModelPath);
            }
            catch (ModelRefusedException second)
            {
                throw new ModelRefusedException(refused.Reason, refused.ModelPath,
                    $"{refused.Reason}: {refused.Message} The fallback model was refused too ({second.Reason}: {second.Message})", refused);
            }
            state.Degraded = $"model refused ({refused.Reason}): {refused.Message} Running the fallback model '{fallback.ModelPath}'.";
            Log.ModelFallback(logger, refused.Reason.ToString(), refused.Message, fallback.ModelPath);
            return fallback;
        }
    }

    private static TrustedKeys LoadTrustedKeys(InferenceOptions o)
    {
        try
        {
            return TrustedKeys.Load(o.TrustedKeysFolder);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            // Without trusted keys no manifest can be verified: that is a refusal of the model, not a crash.
            throw new ModelRefusedException(RefusalReason.UnknownKey, Path.GetFullPath(o.ModelPath), e.Message, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => scorer?.Dispose();
}

using System.ComponentModel.DataAnnotations;

namespace MLRFNet.Edge.Options;

/// <summary>Execution providers in the order the service tries them.</summary>
public enum ExecutionProviderPreference
{
    TensorRT,
    Cuda,
    Cpu,
}

/// <summary>The model and how to run it (configuration section <c>Inference</c>).</summary>
public sealed class InferenceOptions
{
    public const string Section = "Inference";

    /// <summary>The ONNX model; its manifest is <c>&lt;model&gt;.manifest.json</c> beside it. Default: the shipped model.</summary>
    [Required(ErrorMessage = "Inference:ModelPath is required: point it at the .onnx file (its .manifest.json must sit beside it).")]
    public string ModelPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "models", "mlrfnet.onnx");

    /// <summary>
    /// Folder of the public keys (<c>*.pem</c>) trusted to sign model manifests, plus an optional
    /// <c>revoked-keys.txt</c> (key ids). A model whose manifest is unsigned, signed by another or a revoked key, or
    /// altered after signing is refused. Default: <c>trusted-keys</c> beside the binary (deploy/install.sh fills it).
    /// </summary>
    public string TrustedKeysFolder { get; set; } = Path.Combine(AppContext.BaseDirectory, "trusted-keys");

    /// <summary>
    /// The previous model (deploy/install.sh keeps it in the <c>previous</c> slot). When <see cref="ModelPath"/> is
    /// refused and this one passes every check, the service runs it and reports <c>degraded</c> with the reason.
    /// Empty: no fallback, a refused model stops the service.
    /// </summary>
    public string? FallbackModelPath { get; set; }

    /// <summary>Providers to try, best first (TensorRT, CUDA, CPU); the scorer logs every fallback.</summary>
    public List<ExecutionProviderPreference> Providers { get; set; } = [];

    /// <summary>Intra-op threads for the CPU provider (0: ONNX Runtime's default, one per core).</summary>
    [Range(0, 256, ErrorMessage = "Inference:Threads must be between 0 (runtime default) and 256.")]
    public int Threads { get; set; }

    /// <summary>Images scored per model run (1..64); a batch is formed from what is queued, never waited for.</summary>
    [Range(1, 64, ErrorMessage = "Inference:BatchSize must be between 1 and 64.")]
    public int BatchSize { get; set; } = 4;

    /// <summary>
    /// Absolute path of a device-provided <c>libonnxruntime.so</c> to load instead of a bundled one (Jetson: the
    /// CUDA/TensorRT build matching the managed 1.31 API). Empty: the library shipped beside the binary.
    /// </summary>
    public string? NativeLibraryPath { get; set; }

    /// <summary>
    /// Where TensorRT keeps the engines it builds (building one for Res2Net-50 takes minutes on a Jetson, so keep
    /// it across restarts). Empty: no cache.
    /// </summary>
    public string? TensorRtCacheFolder { get; set; }

    public IReadOnlyList<ExecutionProviderPreference> EffectiveProviders =>
        Providers.Count > 0 ? Providers : [ExecutionProviderPreference.Cpu];
}

using MLRFNet.Core.Manifest;
using MLRFNet.Inference.ExecutionProviders;

namespace MLRFNet.Inference;

/// <summary>Graph optimization level handed to ONNX Runtime (its <c>GraphOptimizationLevel</c>).</summary>
public enum GraphOptimization
{
    None,
    Basic,
    Extended,

    /// <summary>All optimizations, including layout ones: ONNX Runtime's recommended setting and our default.</summary>
    All,
}

/// <summary>
/// How <see cref="OnnxXrayScorer"/> loads and runs a model. Validated up front by <see cref="Validate"/>, so a bad
/// setting fails when the scorer is created with a message naming the field and the fix.
/// </summary>
public sealed record XrayScorerOptions
{
    /// <summary>
    /// Execution providers in order of preference, by name (<see cref="ExecutionProviderRegistry.Names"/>: TensorRT,
    /// CUDA, CPU). Each is tried in turn; one that cannot be registered or cannot create the session is logged with
    /// the reason and skipped. CPU is always tried last even when not listed, because ONNX Runtime always has it.
    /// Default: CPU only.
    /// </summary>
    public IReadOnlyList<string> ExecutionProviders { get; init; } = [ExecutionProviderRegistry.Cpu];

    /// <summary>Threads for one operator (ORT <c>IntraOpNumThreads</c>); 0 lets ONNX Runtime pick (physical cores).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Whether ONNX Runtime's intra-op threads busy-wait for the next run (<c>session.intra_op.allow_spinning</c>). Off
    /// by default: on a 2-core box the service decodes and writes reports on the same cores between runs, and a
    /// spinning pool takes that time from them (and from any other engine in the process); the cost is a thread
    /// wake-up per run. Turn on only for a process that does nothing but back-to-back inference.
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>Images per run; larger requests are split. Buffers for this many images are allocated once. Default 8.</summary>
    public int BatchSize { get; init; } = 8;

    public GraphOptimization GraphOptimization { get; init; } = GraphOptimization.All;

    /// <summary>GPU used by the CUDA and TensorRT providers.</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>
    /// Where TensorRT keeps built engines (<c>trt_engine_cache_path</c>); null disables the cache. Building an
    /// engine for a Res2Net-50 takes minutes on a Jetson, so the edge service should set this. Created if missing.
    /// </summary>
    public string? TensorRtCacheDirectory { get; init; }

    /// <summary>Lets TensorRT run layers in FP16 (<c>trt_fp16_enable</c>). Off by default: FP32 parity.</summary>
    public bool TensorRtFp16 { get; init; }

    /// <summary>
    /// A specific <c>libonnxruntime.so</c> to use instead of the one shipped in the NuGet package, e.g. the Jetson's
    /// own CUDA/TensorRT build. Process-wide and only honoured before ONNX Runtime is first used; see
    /// <see cref="OnnxRuntimeNativeLibrary"/>.
    /// </summary>
    public string? NativeLibraryPath { get; init; }

    /// <summary>
    /// The manifest rules a model loaded by path must meet (<see cref="ManifestPolicy"/>); by default only its
    /// readability and SHA-256. The edge service applies its policy itself and passes the verified file instead.
    /// </summary>
    public ManifestPolicy Policy { get; init; } = ManifestPolicy.IntegrityOnly;

    /// <summary>Largest accepted <see cref="BatchSize"/>: buffers are allocated up front (0.57 MiB of input per 3×224×224 image).</summary>
    public const int MaxBatchSize = 256;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field and how to fix it.</summary>
    public XrayScorerOptions Validate()
    {
        if (ExecutionProviders is null || ExecutionProviders.Count == 0)
            throw new ArgumentException(
                $"ExecutionProviders is empty; list one or more of {string.Join(", ", ExecutionProviderRegistry.Names)} in order of preference.",
                nameof(ExecutionProviders));
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in ExecutionProviders)
        {
            var canonical = ExecutionProviderRegistry.Get(name).Name;
            if (!seen.Add(canonical))
                throw new ArgumentException($"ExecutionProviders lists '{canonical}' twice; list each provider once.", nameof(ExecutionProviders));
        }
        if (BatchSize is < 1 or > MaxBatchSize)
            throw new ArgumentException($"BatchSize must be between 1 and {MaxBatchSize} (got {BatchSize}).", nameof(BatchSize));
        if (IntraOpThreads < 0)
            throw new ArgumentException($"IntraOpThreads must be 0 (ONNX Runtime's choice) or positive (got {IntraOpThreads}).", nameof(IntraOpThreads));
        if (CudaDeviceId < 0)
            throw new ArgumentException($"CudaDeviceId must be 0 or a positive GPU index (got {CudaDeviceId}).", nameof(CudaDeviceId));
        if (TensorRtCacheDirectory is { } cache && string.IsNullOrWhiteSpace(cache))
            throw new ArgumentException("TensorRtCacheDirectory is blank; give a folder path or leave it null to disable the engine cache.", nameof(TensorRtCacheDirectory));
        if (NativeLibraryPath is { } native && string.IsNullOrWhiteSpace(native))
            throw new ArgumentException("NativeLibraryPath is blank; give the path of libonnxruntime.so or leave it null to use the packaged one.", nameof(NativeLibraryPath));
        if (!Enum.IsDefined(GraphOptimization))
            throw new ArgumentException($"GraphOptimization {(int)GraphOptimization} is not a defined level; use None, Basic, Extended or All.", nameof(GraphOptimization));
        if (Policy is null)
            throw new ArgumentException("Policy is null; leave it out for ManifestPolicy.IntegrityOnly or give the policy to apply.", nameof(Policy));
        return this;
    }
}

using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace MLRFNet.Inference.ExecutionProviders;

/// <summary>
/// One ONNX Runtime execution provider: its name in <see cref="XrayScorerOptions.ExecutionProviders"/> and how it is
/// registered on a <see cref="SessionOptions"/>. <paramref name="Register"/> returns native option objects that must
/// outlive session creation (disposed by the caller afterwards), or null.
/// </summary>
/// <paramref name="Remedy"/> is logged with a failure: what usually makes the provider available.
internal sealed record ExecutionProvider(string Name, Func<SessionOptions, XrayScorerOptions, IDisposable?> Register, string Remedy);

/// <summary>
/// The execution providers the scorer knows, by name (case-insensitive). A table, not a switch: a new provider
/// (e.g. OpenVINO) is one more entry. Adding a name twice throws.
/// </summary>
public static class ExecutionProviderRegistry
{
    public const string TensorRT = "TensorRT";
    public const string Cuda = "CUDA";
    public const string Cpu = "CPU";

    private static readonly Dictionary<string, ExecutionProvider> registry = Build(
        new ExecutionProvider(TensorRT, RegisterTensorRt, GpuRemedy + ", plus TensorRT 8.5+ libraries on the loader path"),
        new ExecutionProvider(Cuda, RegisterCuda, GpuRemedy + ", plus the CUDA and cuDNN libraries it was built against"),
        // ONNX Runtime adds its CPU provider to every session as the fallback for nodes no other provider claims, so
        // nothing needs registering; listing CPU only fixes where it stands in the preference order (always last).
        new ExecutionProvider(Cpu, static (_, _) => null, "none: CPU is part of every ONNX Runtime build"));

    private const string GpuRemedy =
        "needs a GPU build of ONNX Runtime (the Microsoft.ML.OnnxRuntime.Gpu.Linux package, or the device's own " +
        "libonnxruntime.so via XrayScorerOptions.NativeLibraryPath on a Jetson)";

    /// <summary>Known provider names, in the order of the table.</summary>
    public static IReadOnlyList<string> Names { get; } = [TensorRT, Cuda, Cpu];

    /// <summary>Looks a provider up; an unknown name throws <see cref="ArgumentException"/> listing the known ones.</summary>
    internal static ExecutionProvider Get(string? name) =>
        name is not null && registry.TryGetValue(name.Trim(), out var provider)
            ? provider
            : throw new ArgumentException(
                $"Unknown execution provider '{name}'. Known providers: {string.Join(", ", Names)} (case-insensitive). " +
                "Other ONNX Runtime providers need an entry in ExecutionProviderRegistry.",
                nameof(XrayScorerOptions.ExecutionProviders));

    private static Dictionary<string, ExecutionProvider> Build(params ExecutionProvider[] providers)
    {
        var table = new Dictionary<string, ExecutionProvider>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in providers)
            if (!table.TryAdd(p.Name, p))
                throw new InvalidOperationException($"Execution provider '{p.Name}' is registered twice.");
        return table;
    }

    // Option keys from ONNX Runtime's TensorRT provider documentation
    // (https://onnxruntime.ai/docs/execution-providers/TensorRT-ExecutionProvider.html#configurations).
    private static IDisposable RegisterTensorRt(SessionOptions session, XrayScorerOptions options)
    {
        var trt = new OrtTensorRTProviderOptions();
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["device_id"] = options.CudaDeviceId.ToString(CultureInfo.InvariantCulture),
                ["trt_fp16_enable"] = options.TensorRtFp16 ? "1" : "0",
            };
            if (options.TensorRtCacheDirectory is { } cache)
            {
                settings["trt_engine_cache_enable"] = "1";
                settings["trt_engine_cache_path"] = Path.GetFullPath(cache);
            }
            trt.UpdateOptions(settings);
            session.AppendExecutionProvider_Tensorrt(trt);
            if (options.TensorRtCacheDirectory is { } dir) Directory.CreateDirectory(dir);
            return trt;
        }
        catch
        {
            trt.Dispose();
            throw;
        }
    }

    // The V2 options object goes through the versioned C API table rather than the legacy exported
    // OrtSessionOptionsAppendExecutionProvider_CUDA symbol, which CPU builds do not export at all.
    private static IDisposable RegisterCuda(SessionOptions session, XrayScorerOptions options)
    {
        var cuda = new OrtCUDAProviderOptions();
        try
        {
            cuda.UpdateOptions(new Dictionary<string, string>
            {
                ["device_id"] = options.CudaDeviceId.ToString(CultureInfo.InvariantCulture),
            });
            session.AppendExecutionProvider_CUDA(cuda);
            return cuda;
        }
        catch
        {
            cuda.Dispose();
            throw;
        }
    }
}

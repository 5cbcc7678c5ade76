using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace MLRFNet.Inference;

/// <summary>
/// Binds ONNX Runtime's managed assembly to a specific native <c>libonnxruntime.so</c>, e.g. the CUDA/TensorRT build
/// on a Jetson (JetPack ships none in NuGet form; the device's own build comes from NVIDIA or is compiled locally).
/// </summary>
/// <remarks>
/// How: the managed assembly P/Invokes a library named <c>onnxruntime</c>. .NET lets one
/// <see cref="DllImportResolver"/> per assembly redirect that (<see cref="NativeLibrary.SetDllImportResolver"/>).
/// ONNX Runtime 1.31 registers its own resolver in the static constructor of its <c>NativeMethods</c> class unless
/// <see cref="OrtEnv.DisableDllImportResolver"/> is set first (onnxruntime PR #27535), so <see cref="Use"/> sets that
/// flag and then registers ours. Both only work before any ONNX Runtime API is first used in the process; later the
/// library is already bound and <see cref="Use"/> throws rather than silently keeping the packaged one.
/// The native library must implement at least the C API version of the managed package (1.31); an older build fails
/// when the first session is created. ONNX Runtime loads <c>libonnxruntime_providers_*.so</c> from the directory of
/// the library it runs from, so the providers of the custom build are found beside it.
/// An alternative without code is to delete the packaged <c>libonnxruntime.so</c> from the app folder and put the
/// device's on the loader path (LD_LIBRARY_PATH).
/// </remarks>
public static class OnnxRuntimeNativeLibrary
{
    private static readonly Lock gate = new();
    private static string? boundPath;
    private static IntPtr handle;
    private static bool runtimeUsed;

    /// <summary>The custom library in use, or null for the one shipped with the package.</summary>
    public static string? BoundPath
    {
        get { lock (gate) return boundPath; }
    }

    /// <summary>
    /// Makes ONNX Runtime load <paramref name="libraryPath"/>. Call at startup, before any scorer or other ONNX Runtime
    /// use; calling again with the same path is a no-op. Returns true when this call did the binding.
    /// </summary>
    public static bool Use(string libraryPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(libraryPath);
        var full = Path.GetFullPath(libraryPath);
        if (!File.Exists(full))
            throw new FileNotFoundException(
                $"NativeLibraryPath '{full}' does not exist. Point it at the device's libonnxruntime.so, or leave it " +
                "unset to use the library shipped with the application.", full);
        lock (gate)
        {
            if (boundPath is not null)
            {
                if (string.Equals(boundPath, full, StringComparison.Ordinal)) return false;
                throw new InvalidOperationException(
                    $"ONNX Runtime is already bound to '{boundPath}' in this process; it cannot switch to '{full}'. Use one NativeLibraryPath per process.");
            }
            if (runtimeUsed)
                throw NotFirst(full, null);
            try
            {
                OrtEnv.DisableDllImportResolver = true;
                NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly, Resolve);
            }
            catch (InvalidOperationException e)
            {
                throw NotFirst(full, e);
            }
            boundPath = full;
            return true;
        }
    }

    /// <summary>Records that ONNX Runtime is about to be used with whatever library is bound now.</summary>
    internal static void MarkUsed()
    {
        lock (gate) runtimeUsed = true;
    }

    private static InvalidOperationException NotFirst(string path, Exception? inner) => new(
        $"ONNX Runtime was already used in this process with its packaged native library, so '{path}' cannot be " +
        "bound any more. Set NativeLibraryPath on the first scorer the process creates, or call " +
        "OnnxRuntimeNativeLibrary.Use at startup before anything touches ONNX Runtime.", inner);

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!string.Equals(libraryName, "onnxruntime", StringComparison.Ordinal)) return IntPtr.Zero;
        lock (gate)
        {
            if (handle == IntPtr.Zero && boundPath is not null) handle = NativeLibrary.Load(boundPath);
            return handle;
        }
    }
}

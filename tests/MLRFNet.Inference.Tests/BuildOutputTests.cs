namespace MLRFNet.Inference.Tests;

/// <summary>What the build copies next to the tests (RuntimeIdentifier linux-x64), see OnnxRuntimeNatives.targets.</summary>
public sealed class BuildOutputTests
{
    [SkippableFact]
    public void Linux_output_has_the_linux_runtime_and_no_windows_natives()
    {
        // Catches: Microsoft.ML.OnnxRuntime's props copying runtimes/win-x64/native/*.dll into a Linux build.
        Skip.IfNot(OperatingSystem.IsLinux(), "checks a Linux build output");
        var dir = AppContext.BaseDirectory;
        Assert.True(File.Exists(Path.Combine(dir, "libonnxruntime.so")), "libonnxruntime.so missing from " + dir);
        Assert.False(File.Exists(Path.Combine(dir, "onnxruntime.dll")), "Windows onnxruntime.dll copied into " + dir);
        Assert.False(File.Exists(Path.Combine(dir, "onnxruntime_providers_shared.dll")), "Windows provider DLL copied into " + dir);
        Assert.Empty(Directory.GetFiles(dir, "*.dylib"));
    }
}

using MLRFNet.Inference.Tests.Support;

namespace MLRFNet.Inference.Tests;

/// <summary>
/// The custom-library binding is process-wide, so only its refusals are tested here; binding a library for real
/// needs a fresh process (NOTE: covered by no test yet).
/// </summary>
public sealed class OnnxRuntimeNativeLibraryTests
{
    [Fact]
    public void A_missing_library_is_refused_with_the_path()
    {
        var e = Assert.Throws<FileNotFoundException>(() => OnnxRuntimeNativeLibrary.Use("/nonexistent/libonnxruntime.so"));
        Assert.Contains("/nonexistent/libonnxruntime.so", e.Message);
        Assert.Null(OnnxRuntimeNativeLibrary.BoundPath);
    }

    [Fact]
    public void Binding_after_onnx_runtime_was_used_is_refused_instead_of_silently_ignored()
    {
        using (new OnnxXrayScorer(TinyModel.ModelPath)) { }
        var packaged = Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so");
        Assert.True(File.Exists(packaged));
        var e = Assert.Throws<InvalidOperationException>(() => OnnxRuntimeNativeLibrary.Use(packaged));
        Assert.Contains("already used", e.Message);
        Assert.Null(OnnxRuntimeNativeLibrary.BoundPath);
    }
}

using System.Collections;
using System.Reflection;
using System.Runtime.Loader;
using MLRFNet.Inference.Tests.Support;

namespace MLRFNet.Inference.Tests;

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

    [SkippableFact]
    public void A_first_scorer_with_NativeLibraryPath_runs_on_that_library()
    {
        // The binding is process-wide and this process has long used the packaged library, so the scenario runs in
        // a fresh AssemblyLoadContext holding its own copies of MLRFNet.Inference and the ORT managed assembly (own
        // statics, own DllImport resolver). The "device library" is the packaged .so copied to a unique path; the
        // process's memory map then shows which file ONNX Runtime actually runs from.
        // Catches: any ORT object created before the binding (it once was a RunOptions field initializer).
        Skip.IfNot(OperatingSystem.IsLinux(), "reads /proc/self/maps");
        var dir = Directory.CreateTempSubdirectory("mlrfnet-native-");
        var custom = Path.Combine(dir.FullName, "libonnxruntime.so");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so"), custom);

        try
        {
            RunIsolated(custom);
        }
        finally
        {
            dir.Delete(recursive: true); // Linux keeps a mapped file alive after unlinking it
        }
    }

    private static void RunIsolated(string custom)
    {
        var context = new IsolatedContext(AppContext.BaseDirectory);
        var inference = context.LoadFromAssemblyName(new AssemblyName("MLRFNet.Inference"));
        Assert.NotSame(typeof(OnnxXrayScorer).Assembly, inference);
        var optionsType = inference.GetType(typeof(XrayScorerOptions).FullName!)!;
        var options = Activator.CreateInstance(optionsType)!;
        optionsType.GetProperty(nameof(XrayScorerOptions.NativeLibraryPath))!.SetValue(options, custom);
        var scorerType = inference.GetType(typeof(OnnxXrayScorer).FullName!)!;

        using (var scorer = (IDisposable)Activator.CreateInstance(scorerType, TinyModel.ModelPath, options, null)!)
        {
            var bound = inference.GetType(typeof(OnnxRuntimeNativeLibrary).FullName!)!.GetProperty(nameof(OnnxRuntimeNativeLibrary.BoundPath))!;
            Assert.Equal(custom, bound.GetValue(null));
            Assert.Contains(File.ReadLines("/proc/self/maps"), l => l.EndsWith(custom, StringComparison.Ordinal));

            var expected = TinyModel.Expected.Cases[0];
            var results = (IList)scorerType.GetMethod(nameof(OnnxXrayScorer.Score))!.Invoke(scorer, [new[] { TinyModel.Image(expected.Seed) }, false])!;
            var probabilities = (float[])results[0]!.GetType().GetProperty(nameof(ScoringResult.Probabilities))!.GetValue(results[0])!;
            Assert.InRange(OnnxXrayScorerTests.MaxAbs(probabilities, expected.Probabilities), 0, 1e-5);
        }
    }

    /// <summary>Loads MLRFNet.Inference and Microsoft.ML.OnnxRuntime afresh; everything else is shared with the default context.</summary>
    private sealed class IsolatedContext(string directory) : AssemblyLoadContext("mlrfnet-native-test")
    {
        protected override Assembly? Load(AssemblyName name) =>
            name.Name is "MLRFNet.Inference" or "Microsoft.ML.OnnxRuntime"
                ? LoadFromAssemblyPath(Path.Combine(directory, name.Name + ".dll"))
                : null;
    }
}

using MLRFNet.Benchmarks;

namespace MLRFNet.Benchmarks.Tests;

/// <summary>Which trusted-keys folder the benchmarked service is told to trust.</summary>
public sealed class BenchModelSetTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("mlrfnet-benchkeys-");

    public void Dispose() => dir.Delete(recursive: true);

    [Fact]
    public void AGivenModelInTheRepositoryLayoutUsesKeysTrustedBesideIt()
    {
        // models/chestxray14-demo.onnx is signed by models/keys/trusted's key. Catches: `bench --fp32 models/...
        // --edge-binary` pointing the service at a missing models/trusted-keys, so it refuses the model (exit 78).
        var model = Path.Combine(dir.FullName, "demo.onnx");
        var repository = Directory.CreateDirectory(Path.Combine(dir.FullName, "keys", "trusted")).FullName;
        Assert.Equal(repository, BenchModelSet.TrustedKeysFolder(model));

        // The run's own key folder (scratch models signed for this run) wins when it exists.
        var own = Directory.CreateDirectory(Path.Combine(dir.FullName, "trusted-keys")).FullName;
        Assert.Equal(own, BenchModelSet.TrustedKeysFolder(model));
    }
}

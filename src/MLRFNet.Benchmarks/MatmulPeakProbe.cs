using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Benchmarks;

/// <summary>
/// The machine's practical FP32 peak: a large square float32 matrix product in TorchSharp (libtorch's BLAS), with the
/// same threads as the engines, timed in the same rounds so it sees the same load. An n×n product is 2n³ FLOPs.
/// </summary>
public sealed class MatmulPeakProbe : IDisposable
{
    private readonly Tensor a;
    private readonly Tensor b;

    public MatmulPeakProbe(int size, int threads)
    {
        torch.set_num_threads(threads);
        Size = size;
        var generator = new torch.Generator(7);
        a = torch.randn([size, size], generator: generator);
        b = torch.randn([size, size], generator: generator);
    }

    public int Size { get; }

    /// <summary>FLOPs of one product: 2n³ (n³ multiply-adds).</summary>
    public double Flops => 2.0 * Size * Size * Size;

    /// <summary>Milliseconds of one product.</summary>
    public double RunMs()
    {
        using var noGrad = torch.no_grad();
        var clock = Stopwatch.StartNew();
        using var c = torch.matmul(a, b);
        return clock.Elapsed.TotalMilliseconds;
    }

    public void Dispose()
    {
        a.Dispose();
        b.Dispose();
    }
}

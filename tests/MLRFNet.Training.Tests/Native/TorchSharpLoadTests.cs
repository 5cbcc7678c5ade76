using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Training.Tests.Native;

/// <summary>
/// Proves the native fix (build/TorchSharpNativeFix.targets): without it, the first TorchSharp call on Debian 12
/// throws "doesn't contain a reference to libtorch-cpu-linux-x64" because libLibTorchSharp.so needs GLIBCXX_3.4.32.
/// </summary>
public sealed class TorchSharpLoadTests
{
    [Fact]
    public void Conv2d_OfKnownInput_GivesHandComputedOutput()
    {
        // 1x1x3x3 input 1..9, 2x2 kernel of ones, no padding: each output is the sum of a 2x2 window.
        using var input = arange(1, 10, dtype: float32).reshape(1, 1, 3, 3);
        using var weight = ones(1, 1, 2, 2, dtype: float32);
        using var output = nn.functional.conv2d(input, weight);

        Assert.Equal(new long[] { 1, 1, 2, 2 }, output.shape);
        Assert.Equal(new float[] { 12, 16, 24, 28 }, output.data<float>().ToArray());
    }
}

using MLRFNet.Training.Models;
using MLRFNet.Training.Tests.TestSupport;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLRFNet.Training.Tests.Models;

public sealed class EcaModuleTests(ITestOutputHelper output)
{
    [Fact]
    public void Output_MatchesEcaNetReference()
    {
        // layer_references.json "eca": ECA-Net reference code on a seeded [2, 10, 4, 5] input. Catches pooling over the
        // wrong axes, a conv across space instead of channels, a missing sigmoid or padding that shifts channels.
        var eca = Fixture.Json("layer_references.json").GetProperty("eca");
        using var module = new EcaModule();
        using (no_grad()) module.state_dict()["conv.weight"].copy_(Fixture.Tensor(eca.GetProperty("conv_weight")));
        using var x = Fixture.Tensor(eca.GetProperty("input"));
        using var y = module.call(x);
        var diff = Fixture.MaxAbsDiff(y, Fixture.Tensor(eca.GetProperty("output")));
        output.WriteLine($"ECA max abs diff {diff:E2}");
        Assert.True(diff < 1e-6, $"max abs diff {diff}");
    }

    [Fact]
    public void StateDict_IsOneBiasFreeKernelOf3()
    {
        using var module = new EcaModule();
        var sd = module.state_dict();
        Assert.Equal(["conv.weight"], sd.Keys);
        Assert.Equal(new long[] { 1, 1, 3 }, sd["conv.weight"].shape);
    }

    [Fact]
    public void EvenKernel_IsRejected() => Assert.Throws<ArgumentException>(() => new EcaModule(4));
}

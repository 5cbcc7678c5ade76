using MLRFNet.Training.Devices;
using TorchSharp;

namespace MLRFNet.Training.Tests.Devices;

/// <summary>--device parsing and the checks that turn an unusable device into one clear line (CPU-only here).</summary>
public class TrainingDeviceTests
{
    private sealed record FakeProbe(bool BuiltWithCuda, bool IsAvailable, int DeviceCount) : ICudaProbe;

    [Theory]
    [InlineData("cpu", DeviceType.CPU, -1)]
    [InlineData("CUDA", DeviceType.CUDA, 0)]
    [InlineData("cuda:1", DeviceType.CUDA, 1)]
    public void Device_names_parse(string text, DeviceType type, int index) =>
        Assert.Equal(new TrainingDevice(type, index), TrainingDevice.Parse(text));

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    public void Unknown_device_names_are_refused_with_the_accepted_forms(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingDevice.Parse(text));
        Assert.Contains("cpu, cuda or cuda:N", error.Message);
    }

    [Fact]
    public void Cuda_on_a_cpu_build_names_the_build_property_that_fixes_it()
    {
        var error = Assert.Throws<NotSupportedException>(() => TrainingDevice.Parse("cuda").Resolve(new FakeProbe(false, false, 0)));
        Assert.Contains("TorchSharp-cpu", error.Message);
        Assert.Contains("-p:TorchSharpPackage=cuda", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void This_build_is_the_cpu_package_and_its_libtorch_agrees()
    {
        // CI builds TorchSharp-cpu: the compile-time flag and libtorch itself must both say "no CUDA".
        Assert.False(TorchPackage.IsCuda);
        Assert.False(TorchCudaProbe.Instance.IsAvailable);
        Assert.Throws<NotSupportedException>(() => TrainingDevice.Parse("cuda:0").Resolve());
        Assert.Equal(DeviceType.CPU, TrainingDevice.Cpu.Resolve().type);
    }

    [Fact]
    public void A_cuda_build_without_a_gpu_or_with_too_few_gpus_says_so()
    {
        Assert.Contains("sees no CUDA device", Assert.Throws<NotSupportedException>(() => TrainingDevice.Parse("cuda").Resolve(new FakeProbe(true, false, 0))).Message);
        Assert.Contains("only 2 CUDA devices", Assert.Throws<NotSupportedException>(() => TrainingDevice.Parse("cuda:2").Resolve(new FakeProbe(true, true, 2))).Message);
        var device = TrainingDevice.Parse("cuda:1").Resolve(new FakeProbe(true, true, 2));
        Assert.Equal(DeviceType.CUDA, device.type);
        Assert.Equal(1, device.index);
    }
}

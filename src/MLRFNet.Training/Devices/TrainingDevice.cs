using System.Globalization;
using TorchSharp;

namespace MLRFNet.Training.Devices;

/// <summary>What libtorch this build carries and what it can see (a seam: tests fake a CUDA build on a CPU machine).</summary>
public interface ICudaProbe
{
    /// <summary>True when built with <c>-p:TorchSharpPackage=cuda</c> (TorchSharp-cuda-linux).</summary>
    bool BuiltWithCuda { get; }

    bool IsAvailable { get; }

    int DeviceCount { get; }
}

/// <summary>The real libtorch of this build.</summary>
public sealed class TorchCudaProbe : ICudaProbe
{
    public static readonly TorchCudaProbe Instance = new();

    public bool BuiltWithCuda => TorchPackage.IsCuda;

    public bool IsAvailable => torch.cuda.is_available();

    public int DeviceCount => torch.cuda.device_count();
}

/// <summary>
/// <c>--device cpu|cuda[:N]</c>. Parsing is pure; <see cref="Resolve"/> checks the build and the machine and turns a
/// device that cannot work into one <see cref="NotSupportedException"/> line saying what is wrong and how to fix it.
/// </summary>
public sealed record TrainingDevice(DeviceType Type, int Index)
{
    public static readonly TrainingDevice Cpu = new(DeviceType.CPU, -1);

    public bool IsCuda => Type == DeviceType.CUDA;

    public override string ToString() => IsCuda ? $"cuda:{Index}" : "cpu";

    public static TrainingDevice Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return Cpu;
        if (t == "cuda") return new(DeviceType.CUDA, 0);
        if (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            return new(DeviceType.CUDA, n);
        throw new ArgumentException($"--device '{text}' is not known; use cpu, cuda or cuda:N (N = the GPU's index, from 0).");
    }

    /// <summary>The torch device, after checking this build and machine can use it.</summary>
    public torch.Device Resolve(ICudaProbe? probe = null)
    {
        if (!IsCuda) return torch.CPU;
        probe ??= TorchCudaProbe.Instance;
        if (!probe.BuiltWithCuda)
            throw new NotSupportedException($"--device {this}: this mlrfnet was built with TorchSharp's CPU package (TorchSharp-cpu), which has no CUDA; on a machine with an NVIDIA GPU, rebuild with `dotnet build -c Release -p:TorchSharpPackage=cuda` (README: Training on a GPU) or use --device cpu.");
        if (!probe.IsAvailable)
            throw new NotSupportedException($"--device {this}: this build has CUDA but libtorch sees no CUDA device; check the NVIDIA driver (nvidia-smi) and CUDA_VISIBLE_DEVICES, or use --device cpu.");
        var count = probe.DeviceCount;
        if (Index >= count)
            throw new NotSupportedException($"--device {this}: only {count} CUDA device{(count == 1 ? "" : "s")} visible (cuda:0{(count > 1 ? $"..cuda:{count - 1}" : "")}); choose one of those.");
        // The real libtorch initialises CUDA here, so a broken driver fails now; a faked probe only gets the record.
        return ReferenceEquals(probe, TorchCudaProbe.Instance) ? torch.device(DeviceType.CUDA, Index) : new torch.Device(DeviceType.CUDA, Index);
    }
}

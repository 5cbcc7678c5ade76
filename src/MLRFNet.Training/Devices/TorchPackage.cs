namespace MLRFNet.Training.Devices;

/// <summary>
/// Which TorchSharp native package this build references, chosen by the build property
/// <c>TorchSharpPackage</c> (<c>cpu</c>, the default: TorchSharp-cpu; <c>cuda</c>: TorchSharp-cuda-linux), which also
/// defines <c>TORCHSHARP_CUDA</c>.
/// </summary>
public static class TorchPackage
{
#if TORCHSHARP_CUDA
    public const bool IsCuda = true;
    public const string Name = "TorchSharp-cuda-linux";
#else
    public const bool IsCuda = false;
    public const string Name = "TorchSharp-cpu";
#endif
}

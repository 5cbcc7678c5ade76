namespace MLRFNet.Training.Devices;

/// <summary>What mixed-precision training on CUDA needs and what TorchSharp 0.107 lacks.</summary>
public static class MixedPrecisionSupport
{
    /// <summary>
    /// PyTorch's recipe is autocast (each op picks FP16 or FP32) plus GradScaler. TorchSharp 0.107 exposes neither
    /// <c>torch.autocast</c> nor the native <c>at::autocast</c> switches (dotnet/TorchSharp issue 899 is open, PR 1235
    /// unmerged). The GradScaler half is plain tensor arithmetic and is here (<see cref="LossScaler"/>); without
    /// autocast the forward pass would stay FP32, so the option is refused rather than silently doing nothing.
    /// </summary>
    public const string Missing =
        "--mixed-precision: TorchSharp 0.107 has no autocast (torch.autocast / at::autocast are not bound; dotnet/TorchSharp issue 899), so FP16 training cannot be switched on; train in FP32 (leave --mixed-precision out).";
}

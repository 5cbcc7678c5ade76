// Modelled on the ECA-Net reference code (Wang et al., CVPR 2020),
// https://github.com/BangguWu/ECANet/blob/master/models/eca_module.py ; the field name conv matches its state_dict.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRFNet.Training.Models;

/// <summary>
/// Efficient channel attention (MLRFNet paper eq. 1): global average pool, a 1-D convolution across the channel
/// axis (kernel 3, padding 1, no bias), sigmoid, and a channel-wise product with the input.
/// </summary>
public sealed class EcaModule : nn.Module<Tensor, Tensor>
{
    public const int DefaultKernelSize = 3;

    private readonly Conv1d conv;

    public EcaModule(int kernelSize = DefaultKernelSize) : base(nameof(EcaModule))
    {
        if (kernelSize < 1 || kernelSize % 2 == 0)
            throw new ArgumentException($"ECA kernel size must be odd and positive so the channel count is kept (got {kernelSize}).");
        conv = nn.Conv1d(1, 1, kernelSize, padding: (kernelSize - 1) / 2, bias: false);
        RegisterComponents();
    }

    /// <summary>The per-channel weights in (0, 1), shape [B, C, 1, 1].</summary>
    public Tensor ChannelWeights(Tensor x)
    {
        using var scope = NewDisposeScope();
        var pooled = nn.functional.adaptive_avg_pool2d(x, 1);                 // [B, C, 1, 1]
        var channels = pooled.squeeze(-1).transpose(-1, -2);                   // [B, 1, C]
        var weights = conv.call(channels).transpose(-1, -2).unsqueeze(-1);     // [B, C, 1, 1]
        return sigmoid(weights).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (x * ChannelWeights(x)).MoveToOuterDisposeScope();
    }
}

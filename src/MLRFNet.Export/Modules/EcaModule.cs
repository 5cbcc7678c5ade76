// Modelled on the ECA-Net reference code (https://github.com/BangguWu/ECANet/blob/master/models/eca_module.py).
using MLRFNet.Export.Graph;
using MLRFNet.Training.Models;
using TorchSharp.Modules;
using static MLRFNet.Export.Modules.ModuleMappingContext;
using static MLRFNet.Export.Modules.TorchModules;

namespace MLRFNet.Export.Modules;

/// <summary>
/// Efficient Channel Attention (Wang et al., CVPR 2020): x · sigmoid(conv1d_k(GAP(x))) where the 1-D convolution
/// (no bias, padding (k−1)/2) runs across channels. <see cref="Kernel"/> holds the k conv1d weights.
/// </summary>
public sealed record EcaModuleSpec(float[] Kernel) : IModuleSpec
{
    public string Kind => EcaModuleExport.KindName;

    /// <summary>ECA's adaptive kernel size for C channels: |log2(C)/γ + b/γ| rounded to odd, γ = 2, b = 1 (paper eq. 12).</summary>
    public static int AdaptiveKernelSize(int channels, double gamma = 2, double b = 1)
    {
        var t = (int)Math.Abs((Math.Log2(channels) + b) / gamma);
        return t % 2 == 1 ? t : t + 1;
    }
}

/// <summary>
/// Writes ECA as GlobalAveragePool → Reshape [N, 1, 1, C] → Conv with a [1, k] kernel → Sigmoid → Reshape
/// [N, C, 1, 1] → Mul. The channel conv is a 2-D Conv over a 1×C image rather than a 1-D Conv: the same
/// cross-correlation, and the form every ONNX consumer (TensorRT 8.5 included) handles natively. Mapping: the
/// bias-free Conv1d <c>conv</c> across channels; its padding must keep the channel count.
/// </summary>
public sealed class EcaModuleExport : ModuleExport<EcaModule, EcaModuleSpec>
{
    public const string KindName = "eca";

    public override string Kind => KindName;

    protected override EcaModuleSpec Map(ModuleMappingContext context, EcaModule module, string path)
    {
        var conv = Child<Conv1d>(module, "conv", path);
        var convPath = Join(path, "conv");
        if (conv.bias is not null) throw new NotSupportedException($"ECA conv '{convPath}' has a bias; ECA's channel conv is bias-free.");
        var weight = context.Read(conv.weight, convPath, "weight");
        if (weight.Rank != 3 || weight.Shape[0] != 1 || weight.Shape[1] != 1)
            throw new NotSupportedException($"ECA conv '{convPath}' must be Conv1d(1, 1, k) (weight {weight}).");
        var k = weight.Shape[2];
        if (Symmetric(conv.padding, convPath, "padding") != (k - 1) / 2 || Symmetric(conv.stride, convPath, "stride") != 1
            || Symmetric(conv.dilation, convPath, "dilation") != 1)
            throw new NotSupportedException($"ECA conv '{convPath}' must have stride 1, dilation 1 and padding (k - 1) / 2 = {(k - 1) / 2}.");
        return new EcaModuleSpec(weight.Values);
    }

    protected override string Emit(EmitContext context, EcaModuleSpec m, string input)
    {
        var k = m.Kernel?.Length ?? 0;
        if (k == 0 || k % 2 == 0) throw new ArgumentException($"ECA kernel size must be odd (got {k}).");
        var pad = (k - 1) / 2;
        var g = context.Graph;
        var pooled = g.Reshape(g.GlobalAveragePool(input), 0, 1, 1, -1);
        var conv = g.Conv(pooled, new FloatTensor(m.Kernel!, 1, 1, 1, k), bias: null, pads: [0, pad, 0, pad], hint: "conv");
        var weights = g.Reshape(g.Sigmoid(conv), 0, -1, 1, 1);
        return g.Mul(input, weights);
    }
}

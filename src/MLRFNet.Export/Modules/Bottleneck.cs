// Modelled on torchvision's Bottleneck (https://github.com/pytorch/vision/blob/main/torchvision/models/resnet.py),
// ResNet v1.5: the stride sits in the 3×3 conv.
using TorchSharp.Modules;
using static MLRFNet.Export.Modules.ModuleMappingContext;
using static MLRFNet.Export.Modules.TorchModules;

namespace MLRFNet.Export.Modules;

/// <summary>
/// A ResNet-50 bottleneck (He et al., CVPR 2016; torchvision's v1.5 layout) with BatchNorms folded into its
/// convolutions: conv1 (1×1, bn1) → ReLU → conv2 (3×3, stride, bn2) → ReLU → conv3 (1×1, bn3), plus the identity or
/// the downsample projection, then ReLU.
/// </summary>
public sealed record BottleneckSpec(Conv2dSpec Conv1, Conv2dSpec Conv2, Conv2dSpec Conv3, IModuleSpec? Downsample) : IModuleSpec
{
    public string Kind => BottleneckExport.KindName;

    public BottleneckSpec Validate()
    {
        ResidualChecks.Chain("ResNet bottleneck", [("conv1", Conv1), ("conv2", Conv2), ("conv3", Conv3)]);
        ResidualChecks.Residual("ResNet bottleneck", Conv1.InChannels, Conv3.OutChannels, Conv2.Stride, Downsample);
        return this;
    }
}

/// <summary>torchvision's <c>Bottleneck</c> (ResNet-50, v1.5): conv1/bn1, conv2/bn2 (stride), conv3/bn3, optional downsample.</summary>
public sealed class BottleneckExport : ModuleExport<MLRFNet.Training.Models.Backbones.Bottleneck, BottleneckSpec>
{
    public const string KindName = "bottleneck";

    public override string Kind => KindName;

    protected override BottleneckSpec Map(ModuleMappingContext context, MLRFNet.Training.Models.Backbones.Bottleneck module, string path)
    {
        var downsample = OptionalChild<Sequential>(module, "downsample", path);
        return new BottleneckSpec(
            context.ConvBatchNorm(module, path, "conv1", "bn1"),
            context.ConvBatchNorm(module, path, "conv2", "bn2"),
            context.ConvBatchNorm(module, path, "conv3", "bn3"),
            downsample is null ? null : context.Map(downsample, Join(path, "downsample"))).Validate();
    }

    protected override string Emit(EmitContext context, BottleneckSpec m, string input)
    {
        m.Validate();
        var g = context.Graph;
        var x = g.Relu(context.Emit(m.Conv1, input, "conv1"));
        x = g.Relu(context.Emit(m.Conv2, x, "conv2"));
        x = context.Emit(m.Conv3, x, "conv3");
        var residual = m.Downsample is null ? input : context.Emit(m.Downsample, input, "downsample");
        return g.Relu(g.Add(x, residual));
    }
}

// Modelled on torchvision's Bottleneck (https://github.com/pytorch/vision/blob/main/torchvision/models/resnet.py),
// ResNet v1.5: the stride sits in the 3×3 conv.
namespace MLRFNet.Onnx.Emitters;

/// <summary>
/// A ResNet-50 bottleneck (He et al., CVPR 2016; torchvision's v1.5 layout) with BatchNorms folded into its
/// convolutions: conv1 (1×1, bn1) → ReLU → conv2 (3×3, stride, bn2) → ReLU → conv3 (1×1, bn3), plus the identity or
/// the downsample projection, then ReLU.
/// </summary>
public sealed record ResNetBottleneckSpec(Conv2dSpec Conv1, Conv2dSpec Conv2, Conv2dSpec Conv3, IModuleSpec? Downsample) : IModuleSpec
{
    public string Kind => ResNetBottleneckEmitter.KindName;

    public ResNetBottleneckSpec Validate()
    {
        ResidualChecks.Chain("ResNet bottleneck", [("conv1", Conv1), ("conv2", Conv2), ("conv3", Conv3)]);
        ResidualChecks.Residual("ResNet bottleneck", Conv1.InChannels, Conv3.OutChannels, Conv2.Stride, Downsample);
        return this;
    }
}

public sealed class ResNetBottleneckEmitter : ModuleEmitter<ResNetBottleneckSpec>
{
    public const string KindName = "resnet_bottleneck";

    public override string Kind => KindName;

    protected override string Emit(EmitContext context, ResNetBottleneckSpec m, string input)
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

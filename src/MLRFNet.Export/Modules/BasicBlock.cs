// Modelled on torchvision's BasicBlock (https://github.com/pytorch/vision/blob/main/torchvision/models/resnet.py).
using TorchSharp.Modules;
using static MLRFNet.Export.Modules.ModuleMappingContext;
using static MLRFNet.Export.Modules.TorchModules;

namespace MLRFNet.Export.Modules;

/// <summary>
/// A ResNet-18/34 basic block (He et al., CVPR 2016) with BatchNorms folded into its convolutions: conv1 (3×3,
/// stride, bn1) → ReLU → conv2 (3×3, bn2), plus the identity or the downsample projection, then ReLU.
/// </summary>
public sealed record BasicBlockSpec(Conv2dSpec Conv1, Conv2dSpec Conv2, IModuleSpec? Downsample) : IModuleSpec
{
    public string Kind => BasicBlockExport.KindName;

    public BasicBlockSpec Validate()
    {
        ResidualChecks.Chain("basic block", [("conv1", Conv1), ("conv2", Conv2)]);
        ResidualChecks.Residual("basic block", Conv1.InChannels, Conv2.OutChannels, Conv1.Stride, Downsample);
        return this;
    }
}

/// <summary>torchvision's <c>BasicBlock</c> (ResNet-18/34): conv1/bn1 (stride), conv2/bn2, optional downsample.</summary>
public sealed class BasicBlockExport : ModuleExport<MLRFNet.Training.Models.Backbones.BasicBlock, BasicBlockSpec>
{
    public const string KindName = "basic_block";

    public override string Kind => KindName;

    protected override BasicBlockSpec Map(ModuleMappingContext context, MLRFNet.Training.Models.Backbones.BasicBlock module, string path)
    {
        var downsample = OptionalChild<Sequential>(module, "downsample", path);
        return new BasicBlockSpec(
            context.ConvBatchNorm(module, path, "conv1", "bn1"),
            context.ConvBatchNorm(module, path, "conv2", "bn2"),
            downsample is null ? null : context.Map(downsample, Join(path, "downsample"))).Validate();
    }

    protected override string Emit(EmitContext context, BasicBlockSpec m, string input)
    {
        m.Validate();
        var g = context.Graph;
        var x = g.Relu(context.Emit(m.Conv1, input, "conv1"));
        x = context.Emit(m.Conv2, x, "conv2");
        var residual = m.Downsample is null ? input : context.Emit(m.Downsample, input, "downsample");
        return g.Relu(g.Add(x, residual));
    }
}

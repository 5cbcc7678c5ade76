using MLRFNet.Onnx.Emitters;
using MLRFNet.Training.Models;
using MLRFNet.Training.Models.Heads;
using TorchSharp.Modules;
using static MLRFNet.Onnx.Mapping.ModuleMappingContext;
using static MLRFNet.Onnx.Mapping.TorchModules;

namespace MLRFNet.Onnx.Mapping;

/// <summary>ECA: the bias-free Conv1d <c>conv</c> across channels; its padding must keep the channel count.</summary>
public sealed class EcaModuleMapper : ModuleMapper<EcaModule>
{
    protected override IModuleSpec Map(ModuleMappingContext context, EcaModule module, string path)
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
}

/// <summary>One CSRA head: the 1×1 conv <c>head</c> (bias-free) plus T and λ, which the module carries itself.</summary>
public sealed class ClassSpecificResidualAttentionMapper : ModuleMapper<ClassSpecificResidualAttention>
{
    protected override IModuleSpec Map(ModuleMappingContext context, ClassSpecificResidualAttention module, string path)
    {
        var head = Child<Conv2d>(module, "head", path);
        var spec = context.Conv(head, Join(path, "head"));
        if (spec.Bias is not null || spec.Weight.Shape[2] != 1 || spec.Stride != 1 || spec.Padding != 0 || spec.Groups != 1)
            throw new NotSupportedException($"CSRA head '{path}.head' must be a bias-free 1×1 conv with stride 1 and no padding.");
        return new ClassSpecificResidualAttentionSpec(spec.Weight, module.Temperature, module.Lambda);
    }
}

using MLRFNet.Onnx.Emitters;
using MLRFNet.Training.Models.Backbones;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static MLRFNet.Onnx.Mapping.ModuleMappingContext;
using static MLRFNet.Onnx.Mapping.TorchModules;

namespace MLRFNet.Onnx.Mapping;

/// <summary>
/// timm's Res2Net <c>Bottle2neck</c>: conv1/bn1, convs.i/bns.i, conv3/bn3, optional pool and downsample. The scale
/// is the number of 3×3 convs + 1 and must be the variant's; the pass-through pool exists exactly in a stage's first
/// block and must be the 3×3, count_include_pad pool the emitter writes.
/// </summary>
public sealed class Bottle2neckMapper : ModuleMapper<Bottle2neck>
{
    protected override IModuleSpec Map(ModuleMappingContext context, Bottle2neck module, string path)
    {
        var convs = Children(Child<ModuleList<Conv2d>>(module, "convs", path));
        var bns = Children(Child<ModuleList<BatchNorm2d>>(module, "bns", path));
        if (convs.Count != bns.Count)
            throw new NotSupportedException($"Res2Net block '{path}' has {convs.Count} 3×3 convs but {bns.Count} BatchNorms.");
        var scale = convs.Count + 1;
        if (scale != context.Variant.Backbone.Scale)
            throw new NotSupportedException($"Res2Net block '{path}' has scale {scale} but variant '{context.Variant.Name}' says {context.Variant.Backbone.Scale}.");

        var downsample = OptionalChild<Sequential>(module, "downsample", path);
        var spec = new Res2NetBottleneckSpec(
            ConvBn(context, module, path, "conv1", "bn1"),
            convs.Select((c, i) => context.ConvBatchNorm((Conv2d)c.Module, Join(path, $"convs.{c.Name}"), (BatchNorm2d)bns[i].Module, Join(path, $"bns.{bns[i].Name}"))).ToArray(),
            ConvBn(context, module, path, "conv3", "bn3"),
            downsample is null ? null : context.Map(downsample, Join(path, "downsample")),
            scale).Validate();

        var pool = OptionalChild<AvgPool2d>(module, "pool", path);
        if ((pool is not null) != spec.IsFirst)
            throw new NotSupportedException($"Res2Net block '{path}': a pass-through pool {(pool is null ? "is missing" : "is present")} but the block is {(spec.IsFirst ? "" : "not ")}a stage's first block.");
        if (pool is not null && context.Map(pool, Join(path, "pool")) is AvgPool2dSpec p && p != new AvgPool2dSpec(3, spec.Stride, 1, CountIncludePad: true))
            throw new NotSupportedException($"Res2Net block '{path}' pools its pass-through group with {p}; the emitter writes AvgPool2d(3, stride {spec.Stride}, padding 1, count_include_pad).");
        return spec;
    }

    internal static Conv2dSpec ConvBn(ModuleMappingContext context, nn.Module module, string path, string conv, string bn) =>
        context.ConvBatchNorm(Child<Conv2d>(module, conv, path), Join(path, conv), Child<BatchNorm2d>(module, bn, path), Join(path, bn));
}

/// <summary>torchvision's <c>Bottleneck</c> (ResNet-50, v1.5): conv1/bn1, conv2/bn2 (stride), conv3/bn3, optional downsample.</summary>
public sealed class BottleneckMapper : ModuleMapper<Bottleneck>
{
    protected override IModuleSpec Map(ModuleMappingContext context, Bottleneck module, string path)
    {
        var downsample = OptionalChild<Sequential>(module, "downsample", path);
        return new ResNetBottleneckSpec(
            Bottle2neckMapper.ConvBn(context, module, path, "conv1", "bn1"),
            Bottle2neckMapper.ConvBn(context, module, path, "conv2", "bn2"),
            Bottle2neckMapper.ConvBn(context, module, path, "conv3", "bn3"),
            downsample is null ? null : context.Map(downsample, Join(path, "downsample"))).Validate();
    }
}

/// <summary>torchvision's <c>BasicBlock</c> (ResNet-18/34): conv1/bn1 (stride), conv2/bn2, optional downsample.</summary>
public sealed class BasicBlockMapper : ModuleMapper<BasicBlock>
{
    protected override IModuleSpec Map(ModuleMappingContext context, BasicBlock module, string path)
    {
        var downsample = OptionalChild<Sequential>(module, "downsample", path);
        return new BasicBlockSpec(
            Bottle2neckMapper.ConvBn(context, module, path, "conv1", "bn1"),
            Bottle2neckMapper.ConvBn(context, module, path, "conv2", "bn2"),
            downsample is null ? null : context.Map(downsample, Join(path, "downsample"))).Validate();
    }
}

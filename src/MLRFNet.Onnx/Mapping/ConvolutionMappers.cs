using MLRFNet.Onnx.Emitters;
using TorchSharp.Modules;

namespace MLRFNet.Onnx.Mapping;

/// <summary>A Conv2d on its own (no BatchNorm after it): weights and bias as they are.</summary>
public sealed class Conv2dMapper : ModuleMapper<Conv2d>
{
    protected override IModuleSpec Map(ModuleMappingContext context, Conv2d module, string path) => context.Conv(module, path);
}

/// <summary>
/// nn.Sequential: children in order, each Conv2d immediately followed by a BatchNorm2d folded into one conv spec
/// (a ResNet downsample is <c>Sequential(Conv2d, BatchNorm2d)</c>, state_dict keys <c>downsample.0</c>/<c>.1</c>).
/// </summary>
public sealed class SequentialMapper : ModuleMapper<Sequential>
{
    protected override IModuleSpec Map(ModuleMappingContext context, Sequential module, string path)
    {
        var children = TorchModules.Children(module);
        if (children.Count == 0) throw new NotSupportedException($"Sequential '{path}' is empty; nothing to export.");
        var specs = new List<IModuleSpec>(children.Count);
        for (var i = 0; i < children.Count; i++)
        {
            var (name, child) = children[i];
            var childPath = ModuleMappingContext.Join(path, name);
            if (child is Conv2d conv && i + 1 < children.Count && children[i + 1].Module is BatchNorm2d bn)
            {
                specs.Add(context.ConvBatchNorm(conv, childPath, bn, ModuleMappingContext.Join(path, children[i + 1].Name)));
                i++;
            }
            else specs.Add(context.Map(child, childPath));
        }
        return new SequentialSpec(specs);
    }
}

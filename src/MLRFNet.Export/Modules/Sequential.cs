using TorchSharp.Modules;

namespace MLRFNet.Export.Modules;

/// <summary>Modules applied in order, like nn.Sequential; child <c>i</c> is emitted under the scope <c>i</c>.</summary>
public sealed record SequentialSpec(IReadOnlyList<IModuleSpec> Modules) : IModuleSpec
{
    public string Kind => SequentialExport.KindName;
}

/// <summary>
/// nn.Sequential: children in order, each Conv2d immediately followed by a BatchNorm2d folded into one conv spec
/// (a ResNet downsample is <c>Sequential(Conv2d, BatchNorm2d)</c>, state_dict keys <c>downsample.0</c>/<c>.1</c>).
/// </summary>
public sealed class SequentialExport : ModuleExport<Sequential, SequentialSpec>
{
    public const string KindName = "sequential";

    public override string Kind => KindName;

    protected override SequentialSpec Map(ModuleMappingContext context, Sequential module, string path)
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

    protected override string Emit(EmitContext context, SequentialSpec m, string input)
    {
        if (m.Modules.Count == 0) throw new ArgumentException("A sequential module needs at least one child.");
        var x = input;
        for (var i = 0; i < m.Modules.Count; i++) x = context.Emit(m.Modules[i], x, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return x;
    }
}

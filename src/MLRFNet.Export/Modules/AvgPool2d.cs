using TorchSharp.Modules;

namespace MLRFNet.Export.Modules;

/// <summary>PyTorch AvgPool2d with a square kernel (floor mode); <see cref="CountIncludePad"/> is PyTorch's default true.</summary>
public sealed record AvgPool2dSpec(int KernelSize, int Stride, int Padding = 0, bool CountIncludePad = true) : IModuleSpec
{
    public string Kind => AvgPool2dExport.KindName;
}

/// <summary>AvgPool2d, floor mode, no divisor override; count_include_pad carried over; one AveragePool node.</summary>
public sealed class AvgPool2dExport : ModuleExport<AvgPool2d, AvgPool2dSpec>
{
    public const string KindName = "avg_pool2d";

    public override string Kind => KindName;

    protected override AvgPool2dSpec Map(ModuleMappingContext context, AvgPool2d module, string path)
    {
        if (module.ceil_mode || module.divisor_override is not null)
            throw new NotSupportedException($"AvgPool2d '{path}' uses ceil_mode or a divisor override; the exporter writes plain floor-mode pools.");
        var kernel = ModuleMappingContext.Symmetric(module.kernel_size, path, "kernel_size");
        var stride = module.stride is { Length: > 0 } ? ModuleMappingContext.Symmetric(module.stride, path, "stride") : kernel;
        return new AvgPool2dSpec(kernel, stride, ModuleMappingContext.Symmetric(module.padding, path, "padding"), module.count_include_pad);
    }

    protected override string Emit(EmitContext context, AvgPool2dSpec m, string input) =>
        context.Graph.AveragePool(input, m.KernelSize, m.Stride, m.Padding, m.CountIncludePad);
}

using TorchSharp.Modules;

namespace MLRFNet.Export.Modules;

/// <summary>PyTorch MaxPool2d with a square kernel (floor mode), e.g. the ResNet stem's 3/2/1.</summary>
public sealed record MaxPool2dSpec(int KernelSize, int Stride, int Padding = 0) : IModuleSpec
{
    public string Kind => MaxPool2dExport.KindName;
}

/// <summary>MaxPool2d, floor mode, no dilation (the ResNet stem's 3/2/1), as one MaxPool node.</summary>
public sealed class MaxPool2dExport : ModuleExport<MaxPool2d, MaxPool2dSpec>
{
    public const string KindName = "max_pool2d";

    public override string Kind => KindName;

    protected override MaxPool2dSpec Map(ModuleMappingContext context, MaxPool2d module, string path)
    {
        if (module.ceil_mode) throw new NotSupportedException($"MaxPool2d '{path}' uses ceil_mode; the exporter writes floor-mode pools.");
        if (ModuleMappingContext.Symmetric(module.dilation, path, "dilation") != 1)
            throw new NotSupportedException($"MaxPool2d '{path}' is dilated; the exporter writes undilated pools.");
        var kernel = ModuleMappingContext.Symmetric(module.kernel_size, path, "kernel_size");
        // PyTorch's default stride is the kernel size.
        var stride = module.stride is { Length: > 0 } ? ModuleMappingContext.Symmetric(module.stride, path, "stride") : kernel;
        return new MaxPool2dSpec(kernel, stride, ModuleMappingContext.Symmetric(module.padding, path, "padding"));
    }

    protected override string Emit(EmitContext context, MaxPool2dSpec m, string input) =>
        context.Graph.MaxPool(input, m.KernelSize, m.Stride, m.Padding);
}

using MLRFNet.Onnx.Emitters;
using TorchSharp.Modules;

namespace MLRFNet.Onnx.Mapping;

public sealed class ReluMapper : ModuleMapper<ReLU>
{
    protected override IModuleSpec Map(ModuleMappingContext context, ReLU module, string path) => new ReluSpec();
}

/// <summary>MaxPool2d, floor mode, no dilation (the ResNet stem's 3/2/1).</summary>
public sealed class MaxPool2dMapper : ModuleMapper<MaxPool2d>
{
    protected override IModuleSpec Map(ModuleMappingContext context, MaxPool2d module, string path)
    {
        if (module.ceil_mode) throw new NotSupportedException($"MaxPool2d '{path}' uses ceil_mode; the exporter writes floor-mode pools.");
        if (ModuleMappingContext.Symmetric(module.dilation, path, "dilation") != 1)
            throw new NotSupportedException($"MaxPool2d '{path}' is dilated; the exporter writes undilated pools.");
        var kernel = ModuleMappingContext.Symmetric(module.kernel_size, path, "kernel_size");
        // PyTorch's default stride is the kernel size.
        var stride = module.stride is { Length: > 0 } ? ModuleMappingContext.Symmetric(module.stride, path, "stride") : kernel;
        return new MaxPool2dSpec(kernel, stride, ModuleMappingContext.Symmetric(module.padding, path, "padding"));
    }
}

/// <summary>AvgPool2d, floor mode, no divisor override; count_include_pad carried over.</summary>
public sealed class AvgPool2dMapper : ModuleMapper<AvgPool2d>
{
    protected override IModuleSpec Map(ModuleMappingContext context, AvgPool2d module, string path)
    {
        if (module.ceil_mode || module.divisor_override is not null)
            throw new NotSupportedException($"AvgPool2d '{path}' uses ceil_mode or a divisor override; the exporter writes plain floor-mode pools.");
        var kernel = ModuleMappingContext.Symmetric(module.kernel_size, path, "kernel_size");
        var stride = module.stride is { Length: > 0 } ? ModuleMappingContext.Symmetric(module.stride, path, "stride") : kernel;
        return new AvgPool2dSpec(kernel, stride, ModuleMappingContext.Symmetric(module.padding, path, "padding"), module.count_include_pad);
    }
}

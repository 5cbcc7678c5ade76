namespace MLRFNet.Onnx.Emitters;

/// <summary>PyTorch MaxPool2d with a square kernel (floor mode), e.g. the ResNet stem's 3/2/1.</summary>
public sealed record MaxPool2dSpec(int KernelSize, int Stride, int Padding = 0) : IModuleSpec
{
    public string Kind => MaxPool2dEmitter.KindName;
}

/// <summary>PyTorch AvgPool2d with a square kernel (floor mode); <see cref="CountIncludePad"/> is PyTorch's default true.</summary>
public sealed record AvgPool2dSpec(int KernelSize, int Stride, int Padding = 0, bool CountIncludePad = true) : IModuleSpec
{
    public string Kind => AvgPool2dEmitter.KindName;
}

public sealed class MaxPool2dEmitter : ModuleEmitter<MaxPool2dSpec>
{
    public const string KindName = "max_pool2d";

    public override string Kind => KindName;

    protected override string Emit(EmitContext context, MaxPool2dSpec m, string input) =>
        context.Graph.MaxPool(input, m.KernelSize, m.Stride, m.Padding);
}

public sealed class AvgPool2dEmitter : ModuleEmitter<AvgPool2dSpec>
{
    public const string KindName = "avg_pool2d";

    public override string Kind => KindName;

    protected override string Emit(EmitContext context, AvgPool2dSpec m, string input) =>
        context.Graph.AveragePool(input, m.KernelSize, m.Stride, m.Padding, m.CountIncludePad);
}

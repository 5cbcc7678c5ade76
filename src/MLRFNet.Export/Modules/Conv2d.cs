using MLRFNet.Export.Graph;

namespace MLRFNet.Export.Modules;

/// <summary>A Conv2d (square kernel, symmetric padding) with the eval-mode BatchNorm that follows it, if any, folded in.</summary>
public sealed record Conv2dSpec(FloatTensor Weight) : IModuleSpec
{
    public string Kind => Conv2dExport.KindName;
    public float[]? Bias { get; init; }
    public BatchNormParameters? BatchNorm { get; init; }
    public int Stride { get; init; } = 1;
    public int Padding { get; init; }
    public int Dilation { get; init; } = 1;
    public int Groups { get; init; } = 1;

    public int OutChannels => Weight.Shape[0];
    public int InChannels => Weight.Shape[1] * Groups;
}

/// <summary>
/// TorchSharp's <c>Conv2d</c> on its own (no BatchNorm after it: weights and bias as they are; a Conv2d followed by
/// a BatchNorm2d is mapped with the fold by <see cref="ModuleMappingContext.ConvBatchNorm"/>), written as one Conv
/// node whose initializers are named <c>&lt;scope&gt;.weight/.bias</c>.
/// </summary>
public sealed class Conv2dExport : ModuleExport<TorchSharp.Modules.Conv2d, Conv2dSpec>
{
    public const string KindName = "conv2d";

    public override string Kind => KindName;

    protected override Conv2dSpec Map(ModuleMappingContext context, TorchSharp.Modules.Conv2d module, string path) => context.Conv(module, path);

    protected override string Emit(EmitContext context, Conv2dSpec m, string input)
    {
        if (m.Weight.Rank != 4 || m.Weight.Shape[2] != m.Weight.Shape[3])
            throw new ArgumentException($"conv2d weight must be [O, I/groups, k, k] (got {m.Weight}).");
        if (m.BatchNorm is { } bn && bn.Channels != m.OutChannels)
            throw new ArgumentException($"conv2d has {m.OutChannels} output channels but its BatchNorm has {bn.Channels}.");
        return m.BatchNorm is { } batchNorm
            ? context.Graph.Conv2dBatchNorm(input, m.Weight, m.Bias, batchNorm, m.Stride, m.Padding, m.Dilation, m.Groups, hint: "")
            : context.Graph.Conv2d(input, m.Weight, m.Bias, m.Stride, m.Padding, m.Dilation, m.Groups, hint: "");
    }
}

using MLRFNet.Onnx.Graph;

namespace MLRFNet.Onnx.Emitters;

/// <summary>A Conv2d (square kernel, symmetric padding) with the eval-mode BatchNorm that follows it, if any, folded in.</summary>
public sealed record Conv2dSpec(TensorData Weight) : IModuleSpec
{
    public string Kind => Conv2dEmitter.KindName;
    public float[]? Bias { get; init; }
    public BatchNormParameters? BatchNorm { get; init; }
    public int Stride { get; init; } = 1;
    public int Padding { get; init; }
    public int Dilation { get; init; } = 1;
    public int Groups { get; init; } = 1;

    public int OutChannels => Weight.Shape[0];
    public int InChannels => Weight.Shape[1] * Groups;
}

/// <summary>Writes a <see cref="Conv2dSpec"/> as one Conv node; initializers are named <c>&lt;scope&gt;.weight/.bias</c>.</summary>
public sealed class Conv2dEmitter : ModuleEmitter<Conv2dSpec>
{
    public const string KindName = "conv2d";

    public override string Kind => KindName;

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

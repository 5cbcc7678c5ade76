using MLRFNet.Onnx.Graph;

namespace MLRFNet.Onnx.Emitters;

/// <summary>The ablation variant's classifier: global average pooling then a fully connected layer (W [C, d], b [C]).</summary>
public sealed record GlobalPoolLinearHeadSpec(TensorData Weight, float[]? Bias) : IModuleSpec
{
    public string Kind => GlobalPoolLinearHeadEmitter.KindName;
}

/// <summary>Writes GlobalAveragePool → Flatten → Gemm (transB = 1); returns the logits [N, C].</summary>
public sealed class GlobalPoolLinearHeadEmitter : ModuleEmitter<GlobalPoolLinearHeadSpec>
{
    public const string KindName = "global_pool_linear";

    public override string Kind => KindName;

    protected override string Emit(EmitContext context, GlobalPoolLinearHeadSpec m, string input)
    {
        var g = context.Graph;
        return g.Gemm(g.Flatten(g.GlobalAveragePool(input), axis: 1), m.Weight, m.Bias, hint: "fc");
    }
}

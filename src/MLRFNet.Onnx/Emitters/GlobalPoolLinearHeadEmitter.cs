using MLRFNet.Onnx.Graph;

namespace MLRFNet.Onnx.Emitters;

/// <summary>The ablation variant's classifier: global average pooling then a fully connected layer (W [C, d], b [C]).</summary>
/// <param name="ClassMapName">
/// When set, the head also writes its class activation map (Zhou et al., CVPR 2016: the linear layer applied at every
/// position, plus the bias) [N, C, H, W] under exactly this name, as the TorchSharp head returns it for heatmaps.
/// </param>
public sealed record GlobalPoolLinearHeadSpec(TensorData Weight, float[]? Bias, string? ClassMapName = null) : IModuleSpec
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
        if (m.Weight.Rank != 2) throw new ArgumentException($"GAP+FC head weight must be [classes, channels] (got {m.Weight}).");
        var g = context.Graph;
        if (m.ClassMapName is { } mapName)
        {
            // A 1×1 Conv with the fc weights: by linearity its spatial mean equals the logits below.
            var w = m.Weight;
            var map = g.Conv(input, new TensorData(w.Values, w.Shape[0], w.Shape[1], 1, 1), m.Bias, hint: "class_map");
            g.Identity(map, mapName);
        }
        return g.Gemm(g.Flatten(g.GlobalAveragePool(input), axis: 1), m.Weight, m.Bias, hint: "fc");
    }
}

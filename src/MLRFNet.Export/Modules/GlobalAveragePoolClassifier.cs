using MLRFNet.Export.Graph;
using MLRFNet.Training.Models.Heads;
using TorchSharp.Modules;
using static MLRFNet.Export.Modules.ModuleMappingContext;
using static MLRFNet.Export.Modules.TorchModules;

namespace MLRFNet.Export.Modules;

/// <summary>The ablation variant's classifier: global average pooling then a fully connected layer (W [C, d], b [C]).</summary>
/// <param name="ClassMapName">
/// When set, the head also writes its class activation map (Zhou et al., CVPR 2016: the linear layer applied at every
/// position, plus the bias) [N, C, H, W] under exactly this name, as the TorchSharp head returns it for heatmaps.
/// </param>
public sealed record GlobalAveragePoolClassifierSpec(FloatTensor Weight, float[]? Bias, string? ClassMapName = null) : IModuleSpec
{
    public string Kind => GlobalAveragePoolClassifierExport.KindName;
}

/// <summary>
/// The GAP + linear ablation head. Mapping: <c>fc</c> weights and bias; its class activation map becomes the level's
/// class map. Emitter: GlobalAveragePool → Flatten → Gemm (transB = 1); returns the logits [N, C].
/// </summary>
public sealed class GlobalAveragePoolClassifierExport : ModuleExport<GlobalAveragePoolClassifier, GlobalAveragePoolClassifierSpec>
{
    public const string KindName = "global_average_pool_classifier";

    public override string Kind => KindName;

    protected override GlobalAveragePoolClassifierSpec Map(ModuleMappingContext context, GlobalAveragePoolClassifier module, string path)
    {
        var fc = Child<Linear>(module, "fc", path);
        var fcPath = Join(path, "fc");
        var levels = ((IMultiLevelHead)module).Levels;
        if (levels.Count != 1) throw new NotSupportedException($"GAP+FC head '{path}' reads {levels.Count} levels; it pools exactly one.");
        var level = levels[0];
        return new GlobalAveragePoolClassifierSpec(context.Read(fc.weight, fcPath, "weight"),
            fc.bias is null ? null : context.Read(fc.bias, fcPath, "bias").Values, GraphNames.ClassMap(level));
    }

    protected override string Emit(EmitContext context, GlobalAveragePoolClassifierSpec m, string input)
    {
        if (m.Weight.Rank != 2) throw new ArgumentException($"GAP+FC head weight must be [classes, channels] (got {m.Weight}).");
        var g = context.Graph;
        if (m.ClassMapName is { } mapName)
        {
            // A 1×1 Conv with the fc weights: by linearity its spatial mean equals the logits below.
            var w = m.Weight;
            var map = g.Conv(input, new FloatTensor(w.Values, w.Shape[0], w.Shape[1], 1, 1), m.Bias, hint: "class_map");
            g.Identity(map, mapName);
        }
        return g.Gemm(g.Flatten(g.GlobalAveragePool(input), axis: 1), m.Weight, m.Bias, hint: "fc");
    }
}

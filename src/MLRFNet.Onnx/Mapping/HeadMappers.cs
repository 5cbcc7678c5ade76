using MLRFNet.Onnx.Emitters;
using MLRFNet.Onnx.Export;
using MLRFNet.Training.Models.Heads;
using TorchSharp.Modules;
using static MLRFNet.Onnx.Mapping.ModuleMappingContext;
using static MLRFNet.Onnx.Mapping.TorchModules;

namespace MLRFNet.Onnx.Mapping;

/// <summary>
/// MRFC: one CSRA head per level (<c>csra.0..2</c>), each exposing its class score map as <c>class_map_u{2,3,4}</c>.
/// λ and T of every head must be the variant's (paper: λ 0.5 / 0.3 / 0.1, T = 99), so a checkpoint whose modules
/// disagree with its own config is refused instead of exported with either value.
/// </summary>
public sealed class MultiLevelResidualClassifierMapper : ModuleMapper<MultiLevelResidualClassifier>
{
    protected override IModuleSpec Map(ModuleMappingContext context, MultiLevelResidualClassifier module, string path)
    {
        var heads = Children(Child<ModuleList<ClassSpecificResidualAttention>>(module, "csra", path));
        var levels = ((IMultiLevelHead)module).Levels;
        var config = context.Variant.Head;
        if (heads.Count != levels.Count || heads.Count != config.Lambdas.Count)
            throw new NotSupportedException($"MRFC '{path}' has {heads.Count} CSRA heads for {levels.Count} levels and {config.Lambdas.Count} configured lambdas.");
        var specs = new ClassSpecificResidualAttentionSpec[heads.Count];
        for (var i = 0; i < heads.Count; i++)
        {
            var headPath = Join(path, $"csra.{heads[i].Name}");
            var spec = context.Map<ClassSpecificResidualAttentionSpec>(heads[i].Module, headPath);
            if (spec.Lambda != config.Lambdas[i] || spec.Temperature != config.Temperature)
                throw new NotSupportedException(
                    $"CSRA head '{headPath}' has λ = {spec.Lambda}, T = {spec.Temperature} but variant '{context.Variant.Name}' says λ = {config.Lambdas[i]}, T = {config.Temperature}.");
            specs[i] = spec with { ClassMapName = GraphNames.ClassMap(levels[i]) };
        }
        return new MultiLevelResidualClassifierSpec(specs);
    }
}

/// <summary>The GAP + linear ablation head: <c>fc</c> weights and bias; its class activation map becomes the level's class map.</summary>
public sealed class GlobalAveragePoolClassifierMapper : ModuleMapper<GlobalAveragePoolClassifier>
{
    protected override IModuleSpec Map(ModuleMappingContext context, GlobalAveragePoolClassifier module, string path)
    {
        var fc = Child<Linear>(module, "fc", path);
        var fcPath = Join(path, "fc");
        var levels = ((IMultiLevelHead)module).Levels;
        if (levels.Count != 1) throw new NotSupportedException($"GAP+FC head '{path}' reads {levels.Count} levels; it pools exactly one.");
        var level = levels[0];
        return new GlobalPoolLinearHeadSpec(context.Read(fc.weight, fcPath, "weight"),
            fc.bias is null ? null : context.Read(fc.bias, fcPath, "bias").Values, GraphNames.ClassMap(level));
    }
}

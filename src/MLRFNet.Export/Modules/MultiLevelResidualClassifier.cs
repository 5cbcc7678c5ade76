using MLRFNet.Training.Models.Heads;
using TorchSharp.Modules;
using static MLRFNet.Export.Modules.ModuleMappingContext;
using static MLRFNet.Export.Modules.TorchModules;

namespace MLRFNet.Export.Modules;

/// <summary>
/// The MLRFNet paper's multi-level residual feature classifier (MRFC): one CSRA head per level (U2, U3, U4), logits
/// summed, P_sum = P1 + P2 + P3. Heads are emitted under <c>csra.0</c>, <c>csra.1</c>, ... as in the state_dict.
/// </summary>
public sealed record MultiLevelResidualClassifierSpec(IReadOnlyList<ClassSpecificResidualAttentionSpec> Heads) : IModuleSpec
{
    public string Kind => MultiLevelResidualClassifierExport.KindName;

    public int Classes => Heads[0].Classes;

    public MultiLevelResidualClassifierSpec Validate(int inputs)
    {
        if (Heads is null || Heads.Count == 0) throw new ArgumentException("MRFC needs at least one CSRA head.");
        if (Heads.Count != inputs)
            throw new ArgumentException($"MRFC has {Heads.Count} CSRA heads but was given {inputs} feature maps; each head reads one level.");
        if (Heads.Any(h => h.Classes != Classes))
            throw new ArgumentException($"MRFC heads disagree on the class count ({string.Join(", ", Heads.Select(h => h.Classes))}); their logits cannot be summed.");
        return this;
    }
}

/// <summary>
/// MRFC. Mapping: one CSRA head per level (<c>csra.0..2</c>), each exposing its class score map as
/// <c>class_map_u{2,3,4}</c>; λ and T of every head must be the variant's (paper: λ 0.5 / 0.3 / 0.1, T = 99), so a
/// checkpoint whose modules disagree with its own config is refused instead of exported with either value. Emitter:
/// each head over its level, logits summed.
/// </summary>
public sealed class MultiLevelResidualClassifierExport : MultiInputModuleExport<MultiLevelResidualClassifier, MultiLevelResidualClassifierSpec>
{
    public const string KindName = "multi_level_residual_classifier";

    public override string Kind => KindName;

    protected override MultiLevelResidualClassifierSpec Map(ModuleMappingContext context, MultiLevelResidualClassifier module, string path)
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

    protected override string EmitLevels(EmitContext context, MultiLevelResidualClassifierSpec m, IReadOnlyList<string> inputs)
    {
        m.Validate(inputs.Count);
        string? logits = null;
        for (var i = 0; i < m.Heads.Count; i++)
        {
            var level = context.Emit(m.Heads[i], inputs[i], $"csra.{i}");
            logits = logits is null ? level : context.Graph.Add(logits, level);
        }
        return logits!;
    }
}

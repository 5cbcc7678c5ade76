namespace MLRFNet.Onnx.Emitters;

/// <summary>
/// The MLRFNet paper's multi-level residual feature classifier (MRFC): one CSRA head per level (U2, U3, U4), logits
/// summed, P_sum = P1 + P2 + P3. Heads are emitted under <c>csra.0</c>, <c>csra.1</c>, ... as in the state_dict.
/// </summary>
public sealed record MultiLevelResidualClassifierSpec(IReadOnlyList<ClassSpecificResidualAttentionSpec> Heads) : IModuleSpec
{
    public string Kind => MultiLevelResidualClassifierEmitter.KindName;

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

public sealed class MultiLevelResidualClassifierEmitter : MultiInputModuleEmitter<MultiLevelResidualClassifierSpec>
{
    public const string KindName = "multi_level_residual_classifier";

    public override string Kind => KindName;

    protected override string Emit(EmitContext context, MultiLevelResidualClassifierSpec m, IReadOnlyList<string> inputs)
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

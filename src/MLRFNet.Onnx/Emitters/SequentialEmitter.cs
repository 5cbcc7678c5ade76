namespace MLRFNet.Onnx.Emitters;

/// <summary>Modules applied in order, like nn.Sequential; child <c>i</c> is emitted under the scope <c>i</c>.</summary>
public sealed record SequentialSpec(IReadOnlyList<IModuleSpec> Modules) : IModuleSpec
{
    public string Kind => SequentialEmitter.KindName;
}

public sealed class SequentialEmitter : ModuleEmitter<SequentialSpec>
{
    public const string KindName = "sequential";

    public override string Kind => KindName;

    protected override string Emit(EmitContext context, SequentialSpec m, string input)
    {
        if (m.Modules.Count == 0) throw new ArgumentException("A sequential module needs at least one child.");
        var x = input;
        for (var i = 0; i < m.Modules.Count; i++) x = context.Emit(m.Modules[i], x, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return x;
    }
}

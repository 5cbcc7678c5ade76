namespace MLRFNet.Onnx.Emitters;

public sealed record ReluSpec : IModuleSpec
{
    public string Kind => ReluEmitter.KindName;
}

public sealed class ReluEmitter : ModuleEmitter<ReluSpec>
{
    public const string KindName = "relu";

    public override string Kind => KindName;

    protected override string Emit(EmitContext context, ReluSpec module, string input) => context.Graph.Relu(input);
}

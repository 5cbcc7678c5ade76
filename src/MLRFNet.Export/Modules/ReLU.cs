using TorchSharp.Modules;

namespace MLRFNet.Export.Modules;

public sealed record ReluSpec : IModuleSpec
{
    public string Kind => ReluExport.KindName;
}

/// <summary>nn.ReLU as one Relu node.</summary>
public sealed class ReluExport : ModuleExport<ReLU, ReluSpec>
{
    public const string KindName = "relu";

    public override string Kind => KindName;

    protected override ReluSpec Map(ModuleMappingContext context, ReLU module, string path) => new();

    protected override string Emit(EmitContext context, ReluSpec module, string input) => context.Graph.Relu(input);
}

using MLRFNet.Export.Graph;

namespace MLRFNet.Export.Modules;

/// <summary>What an emitter writes with: the graph, and the registry for emitting nested modules.</summary>
public sealed record EmitContext(OnnxGraphBuilder Graph, ModuleRegistry Registry)
{
    /// <summary>Emits a nested module through the registry, under the scope <paramref name="name"/>.</summary>
    public string Emit(IModuleSpec module, string input, string name)
    {
        using var _ = Graph.Scope(name);
        return Registry.Emit(this, module, input);
    }

    /// <summary>Emits a module that reads several tensors (e.g. a head over U2, U3, U4) under the scope <paramref name="name"/>.</summary>
    public string Emit(IModuleSpec module, IReadOnlyList<string> inputs, string name)
    {
        using var _ = Graph.Scope(name);
        return Registry.Emit(this, module, inputs);
    }
}

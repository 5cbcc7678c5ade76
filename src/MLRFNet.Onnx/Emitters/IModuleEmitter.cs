using MLRFNet.Onnx.Graph;

namespace MLRFNet.Onnx.Emitters;

/// <summary>
/// A module's weights and settings as plain data (arrays, not TorchSharp tensors), tagged with the kind of emitter
/// that writes it. The TorchSharp-to-ONNX step maps each trained module onto one of these records.
/// </summary>
public interface IModuleSpec
{
    /// <summary>The registry key of the emitter for this module (e.g. <c>res2net_bottleneck</c>).</summary>
    string Kind { get; }
}

/// <summary>Writes one kind of module into a graph and returns the name of the module's output tensor.</summary>
public interface IModuleEmitter
{
    string Kind { get; }

    string Emit(EmitContext context, IModuleSpec module, string input);
}

/// <summary>Base class binding an emitter to its spec type, so each emitter is written against typed fields.</summary>
public abstract class ModuleEmitter<TSpec> : IModuleEmitter where TSpec : IModuleSpec
{
    public abstract string Kind { get; }

    public string Emit(EmitContext context, IModuleSpec module, string input)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (module is not TSpec spec)
            throw new ArgumentException(
                $"Emitter '{Kind}' writes {typeof(TSpec).Name} modules, not {module?.GetType().Name ?? "null"}.", nameof(module));
        if (spec.Kind != Kind)
            throw new ArgumentException($"Emitter '{Kind}' was handed a module of kind '{spec.Kind}'.", nameof(module));
        return Emit(context, spec, input);
    }

    protected abstract string Emit(EmitContext context, TSpec module, string input);
}

/// <summary>What an emitter writes with: the graph, and the registry for emitting nested modules.</summary>
public sealed record EmitContext(OnnxGraphBuilder Graph, ModuleEmitterRegistry Registry)
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

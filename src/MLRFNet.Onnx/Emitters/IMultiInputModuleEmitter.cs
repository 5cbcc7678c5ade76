namespace MLRFNet.Onnx.Emitters;

/// <summary>
/// Writes a module that reads several tensors, e.g. a classifier over the backbone levels U2, U3, U4, and returns
/// the name of its output tensor. Registered in the same <see cref="ModuleEmitterRegistry"/> as single-input emitters.
/// </summary>
public interface IMultiInputModuleEmitter
{
    string Kind { get; }

    string Emit(EmitContext context, IModuleSpec module, IReadOnlyList<string> inputs);
}

/// <summary>Base class binding a multi-input emitter to its spec type.</summary>
public abstract class MultiInputModuleEmitter<TSpec> : IMultiInputModuleEmitter where TSpec : IModuleSpec
{
    public abstract string Kind { get; }

    public string Emit(EmitContext context, IModuleSpec module, IReadOnlyList<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(inputs);
        if (module is not TSpec spec)
            throw new ArgumentException(
                $"Emitter '{Kind}' writes {typeof(TSpec).Name} modules, not {module?.GetType().Name ?? "null"}.", nameof(module));
        if (spec.Kind != Kind)
            throw new ArgumentException($"Emitter '{Kind}' was handed a module of kind '{spec.Kind}'.", nameof(module));
        return Emit(context, spec, inputs);
    }

    protected abstract string Emit(EmitContext context, TSpec module, IReadOnlyList<string> inputs);
}

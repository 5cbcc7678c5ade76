namespace MLRFNet.Onnx.Emitters;

/// <summary>
/// Emitters by module kind. A new architecture variant registers emitters for its new module kinds instead of
/// editing one export function (torchvision's model registry and ONNX Runtime's quantizer op registry work the
/// same way). Single-input emitters (<see cref="IModuleEmitter"/>) and multi-input ones
/// (<see cref="IMultiInputModuleEmitter"/>, e.g. a head over several levels) share one namespace of kinds;
/// registering a kind twice throws.
/// </summary>
public sealed class ModuleEmitterRegistry
{
    private readonly Dictionary<string, IModuleEmitter> emitters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IMultiInputModuleEmitter> multiInputEmitters = new(StringComparer.Ordinal);

    /// <summary>A registry holding every built-in emitter.</summary>
    public static ModuleEmitterRegistry CreateDefault() => new ModuleEmitterRegistry()
        .Register(new Conv2dEmitter())
        .Register(new ReluEmitter())
        .Register(new MaxPool2dEmitter())
        .Register(new AvgPool2dEmitter())
        .Register(new SequentialEmitter())
        .Register(new Res2NetBottleneckEmitter())
        .Register(new ResNetBottleneckEmitter())
        .Register(new BasicBlockEmitter())
        .Register(new EcaModuleEmitter())
        .Register(new ClassSpecificResidualAttentionEmitter())
        .Register(new GlobalPoolLinearHeadEmitter())
        .Register(new MultiLevelResidualClassifierEmitter());

    public IReadOnlyCollection<string> Kinds => emitters.Keys.Concat(multiInputEmitters.Keys).ToArray();

    public ModuleEmitterRegistry Register(IModuleEmitter emitter)
    {
        ArgumentNullException.ThrowIfNull(emitter);
        ClaimKind(emitter.Kind, emitter.GetType());
        emitters.Add(emitter.Kind, emitter);
        return this;
    }

    public ModuleEmitterRegistry Register(IMultiInputModuleEmitter emitter)
    {
        ArgumentNullException.ThrowIfNull(emitter);
        ClaimKind(emitter.Kind, emitter.GetType());
        multiInputEmitters.Add(emitter.Kind, emitter);
        return this;
    }

    public IModuleEmitter Get(string kind) =>
        emitters.TryGetValue(kind, out var emitter)
            ? emitter
            : multiInputEmitters.ContainsKey(kind)
                ? throw new ArgumentException($"Module kind '{kind}' reads several inputs; emit it with the overload that takes a list of inputs.")
                : throw Unknown(kind);

    /// <summary>Emits <paramref name="module"/> with the emitter registered for its kind.</summary>
    public string Emit(EmitContext context, IModuleSpec module, string input)
    {
        ArgumentNullException.ThrowIfNull(module);
        return Get(module.Kind).Emit(context, module, input);
    }

    /// <summary>
    /// Emits <paramref name="module"/> over <paramref name="inputs"/>: a multi-input emitter gets the list, a
    /// single-input emitter accepts exactly one input.
    /// </summary>
    public string Emit(EmitContext context, IModuleSpec module, IReadOnlyList<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(inputs);
        if (multiInputEmitters.TryGetValue(module.Kind, out var multi)) return multi.Emit(context, module, inputs);
        if (!emitters.TryGetValue(module.Kind, out var single)) throw Unknown(module.Kind);
        if (inputs.Count != 1)
            throw new ArgumentException($"Module kind '{module.Kind}' reads one input but was given {inputs.Count} ({string.Join(", ", inputs)}).");
        return single.Emit(context, module, inputs[0]);
    }

    private void ClaimKind(string kind, Type type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        var existing = emitters.TryGetValue(kind, out var e) ? e.GetType()
            : multiInputEmitters.TryGetValue(kind, out var m) ? m.GetType() : null;
        if (existing is not null)
            throw new ArgumentException($"An emitter for module kind '{kind}' is already registered ({existing.Name}); cannot add {type.Name}.", "emitter");
    }

    private KeyNotFoundException Unknown(string kind) =>
        new($"No ONNX emitter is registered for module kind '{kind}'. Known kinds: {string.Join(", ", Kinds.Order(StringComparer.Ordinal))}. " +
            "Register an IModuleEmitter for it.");
}

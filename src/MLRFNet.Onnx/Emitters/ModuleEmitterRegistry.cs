namespace MLRFNet.Onnx.Emitters;

/// <summary>
/// Emitters by module kind. A new architecture variant registers emitters for its new module kinds instead of
/// editing one export function (torchvision's model registry and ONNX Runtime's quantizer op registry work the
/// same way). Registering a kind twice throws.
/// </summary>
public sealed class ModuleEmitterRegistry
{
    private readonly Dictionary<string, IModuleEmitter> emitters = new(StringComparer.Ordinal);

    /// <summary>A registry holding every built-in emitter.</summary>
    public static ModuleEmitterRegistry CreateDefault() => new ModuleEmitterRegistry()
        .Register(new Conv2dEmitter())
        .Register(new ReluEmitter())
        .Register(new MaxPool2dEmitter())
        .Register(new AvgPool2dEmitter())
        .Register(new SequentialEmitter())
        .Register(new Res2NetBottleneckEmitter())
        .Register(new EcaModuleEmitter())
        .Register(new ClassSpecificResidualAttentionEmitter())
        .Register(new GlobalPoolLinearHeadEmitter());

    public IReadOnlyCollection<string> Kinds => emitters.Keys;

    public ModuleEmitterRegistry Register(IModuleEmitter emitter)
    {
        ArgumentNullException.ThrowIfNull(emitter);
        ArgumentException.ThrowIfNullOrWhiteSpace(emitter.Kind);
        if (!emitters.TryAdd(emitter.Kind, emitter))
            throw new ArgumentException(
                $"An emitter for module kind '{emitter.Kind}' is already registered ({emitters[emitter.Kind].GetType().Name}).", nameof(emitter));
        return this;
    }

    public IModuleEmitter Get(string kind) =>
        emitters.TryGetValue(kind, out var emitter)
            ? emitter
            : throw new KeyNotFoundException(
                $"No ONNX emitter is registered for module kind '{kind}'. Known kinds: {string.Join(", ", emitters.Keys.Order())}. " +
                "Register an IModuleEmitter for it.");

    /// <summary>Emits <paramref name="module"/> with the emitter registered for its kind.</summary>
    public string Emit(EmitContext context, IModuleSpec module, string input)
    {
        ArgumentNullException.ThrowIfNull(module);
        return Get(module.Kind).Emit(context, module, input);
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Export.Modules;

/// <summary>
/// The one registry of module exports (<see cref="IModuleExport"/>: mapping and emitter of one TorchSharp module
/// type), looked up by exact module type when mapping a trained model and by spec kind when emitting. A new
/// architecture variant registers exports for its new module types instead of editing one export function
/// (torchvision's model registry and ONNX Runtime's quantizer op registry work the same way). Registering a module
/// type or a kind twice throws; an unknown one fails with the known ones listed.
/// </summary>
public sealed class ModuleRegistry
{
    private readonly Dictionary<Type, IModuleExport> byModule = [];
    private readonly Dictionary<string, IModuleExport> byKind = new(StringComparer.Ordinal);

    /// <summary>A registry holding the export of every module MLRFNet's registered variants are built from.</summary>
    public static ModuleRegistry CreateDefault() => new ModuleRegistry()
        .Register(new Conv2dExport())
        .Register(new SequentialExport())
        .Register(new ReluExport())
        .Register(new MaxPool2dExport())
        .Register(new AvgPool2dExport())
        .Register(new Bottle2neckExport())
        .Register(new BottleneckExport())
        .Register(new BasicBlockExport())
        .Register(new EcaModuleExport())
        .Register(new ClassSpecificResidualAttentionExport())
        .Register(new MultiLevelResidualClassifierExport())
        .Register(new GlobalAveragePoolClassifierExport());

    public IReadOnlyCollection<string> Kinds => byKind.Keys;

    public IReadOnlyCollection<Type> ModuleTypes => byModule.Keys;

    public ModuleRegistry Register(IModuleExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentException.ThrowIfNullOrWhiteSpace(export.Kind);
        if (byKind.TryGetValue(export.Kind, out var sameKind))
            throw new ArgumentException(
                $"A module export for kind '{export.Kind}' is already registered ({sameKind.GetType().Name}); cannot add {export.GetType().Name}.", nameof(export));
        if (byModule.TryGetValue(export.ModuleType, out var sameType))
            throw new ArgumentException(
                $"A module export for {export.ModuleType.Name} is already registered ({sameType.GetType().Name}); cannot add {export.GetType().Name}.", nameof(export));
        byKind.Add(export.Kind, export);
        byModule.Add(export.ModuleType, export);
        return this;
    }

    /// <summary>Maps <paramref name="module"/> (found at state_dict prefix <paramref name="path"/>) with the export of its exact type.</summary>
    public IModuleSpec Map(ModuleMappingContext context, nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (byModule.TryGetValue(module.GetType(), out var export)) return export.Map(context, module, path);
        throw new NotSupportedException(
            $"No ONNX export for module '{path}' of type {module.GetType().FullName}. Known types: " +
            $"{string.Join(", ", byModule.Keys.Select(t => t.Name).Order(StringComparer.Ordinal))}. " +
            "Register an IModuleExport for it (its mapping and its emitter, in one file under MLRFNet.Export/Modules)." +
            (module is TorchSharp.Modules.BatchNorm2d ? " A BatchNorm2d is exported folded into the Conv2d before it; it cannot stand alone." : ""));
    }

    /// <summary>Emits <paramref name="module"/>, which reads one input, with the export registered for its kind.</summary>
    public string Emit(EmitContext context, IModuleSpec module, string input)
    {
        ArgumentNullException.ThrowIfNull(module);
        var export = Get(module.Kind);
        if (export.ReadsSeveralInputs)
            throw new ArgumentException($"Module kind '{module.Kind}' reads several inputs; emit it with the overload that takes a list of inputs.");
        return export.Emit(context, module, [input]);
    }

    /// <summary>
    /// Emits <paramref name="module"/> over <paramref name="inputs"/>: a multi-input module gets the list, a
    /// single-input module accepts exactly one input.
    /// </summary>
    public string Emit(EmitContext context, IModuleSpec module, IReadOnlyList<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(inputs);
        return Get(module.Kind).Emit(context, module, inputs);
    }

    private IModuleExport Get(string kind) =>
        byKind.TryGetValue(kind, out var export)
            ? export
            : throw new KeyNotFoundException(
                $"No ONNX module export is registered for module kind '{kind}'. Known kinds: {string.Join(", ", byKind.Keys.Order(StringComparer.Ordinal))}. " +
                "Register an IModuleExport for it.");
}

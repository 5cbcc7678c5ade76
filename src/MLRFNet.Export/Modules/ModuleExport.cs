using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Export.Modules;

/// <summary>
/// A module's weights and settings as plain data (arrays, not TorchSharp tensors), tagged with the kind of module
/// export that writes it. The TorchSharp-to-ONNX step maps each trained module onto one of these records.
/// </summary>
public interface IModuleSpec
{
    /// <summary>The registry key of the module export that writes this spec (e.g. <c>bottle2neck</c>).</summary>
    string Kind { get; }
}

/// <summary>
/// Everything the export knows about one kind of TorchSharp module, in one place: the mapping from the trained module
/// to its plain-data <see cref="IModuleSpec"/> (weights copied out, hyper-parameters read and checked against the
/// variant record) and the ONNX emitter that writes that spec into a graph. A new module type adds one of these.
/// </summary>
public interface IModuleExport
{
    /// <summary>The exact TorchSharp module type this export handles (e.g. <c>Bottle2neck</c>).</summary>
    Type ModuleType { get; }

    /// <summary>The registry key of the spec it writes (<see cref="IModuleSpec.Kind"/>).</summary>
    string Kind { get; }

    /// <summary>Whether the module reads several tensors (e.g. a head over U2, U3, U4) instead of one.</summary>
    bool ReadsSeveralInputs { get; }

    /// <param name="path">The module's state_dict prefix (e.g. <c>backbone.layer2.0</c>), for error messages and the coverage check.</param>
    IModuleSpec Map(ModuleMappingContext context, nn.Module module, string path);

    /// <summary>Writes <paramref name="spec"/> over <paramref name="inputs"/> and returns the name of its output tensor.</summary>
    string Emit(EmitContext context, IModuleSpec spec, IReadOnlyList<string> inputs);
}

/// <summary>Base class binding an export to its module and spec types, so mapping and emitter use typed fields.</summary>
public abstract class ModuleExportBase<TModule, TSpec> : IModuleExport where TModule : nn.Module where TSpec : IModuleSpec
{
    public Type ModuleType => typeof(TModule);

    public abstract string Kind { get; }

    public abstract bool ReadsSeveralInputs { get; }

    public IModuleSpec Map(ModuleMappingContext context, nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        return module is TModule typed
            ? Map(context, typed, path)
            : throw new ArgumentException($"The export of {typeof(TModule).Name} was handed '{path}', a {module?.GetType().Name ?? "null"}.", nameof(module));
    }

    public string Emit(EmitContext context, IModuleSpec spec, IReadOnlyList<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(inputs);
        if (spec is not TSpec typed)
            throw new ArgumentException(
                $"Module export '{Kind}' writes {typeof(TSpec).Name} modules, not {spec?.GetType().Name ?? "null"}.", nameof(spec));
        if (typed.Kind != Kind)
            throw new ArgumentException($"Module export '{Kind}' was handed a module of kind '{typed.Kind}'.", nameof(spec));
        return Emit(context, typed, inputs);
    }

    protected abstract TSpec Map(ModuleMappingContext context, TModule module, string path);

    private protected abstract string Emit(EmitContext context, TSpec spec, IReadOnlyList<string> inputs);
}

/// <summary>A module that reads one tensor (blocks, convs, pools, attention).</summary>
public abstract class ModuleExport<TModule, TSpec> : ModuleExportBase<TModule, TSpec> where TModule : nn.Module where TSpec : IModuleSpec
{
    public sealed override bool ReadsSeveralInputs => false;

    private protected sealed override string Emit(EmitContext context, TSpec spec, IReadOnlyList<string> inputs) =>
        inputs.Count == 1
            ? Emit(context, spec, inputs[0])
            : throw new ArgumentException($"Module kind '{Kind}' reads one input but was given {inputs.Count} ({string.Join(", ", inputs)}).");

    protected abstract string Emit(EmitContext context, TSpec spec, string input);
}

/// <summary>A module that reads several tensors, e.g. a classifier over the backbone levels U2, U3, U4.</summary>
public abstract class MultiInputModuleExport<TModule, TSpec> : ModuleExportBase<TModule, TSpec> where TModule : nn.Module where TSpec : IModuleSpec
{
    public sealed override bool ReadsSeveralInputs => true;

    private protected sealed override string Emit(EmitContext context, TSpec spec, IReadOnlyList<string> inputs) =>
        EmitLevels(context, spec, inputs);

    protected abstract string EmitLevels(EmitContext context, TSpec spec, IReadOnlyList<string> inputs);
}

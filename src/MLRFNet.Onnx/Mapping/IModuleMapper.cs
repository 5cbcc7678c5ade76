using MLRFNet.Onnx.Emitters;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Onnx.Mapping;

/// <summary>
/// Turns one kind of trained TorchSharp module into the plain-data <see cref="IModuleSpec"/> an ONNX emitter writes:
/// weights copied out as arrays, hyper-parameters read from the module (stride, padding, T, λ) and checked against
/// the variant record. The TorchSharp side of the export: a new module type adds a mapper here and an emitter there.
/// </summary>
public interface IModuleMapper
{
    /// <summary>The exact TorchSharp module type this mapper handles (e.g. <c>Bottle2neck</c>).</summary>
    Type ModuleType { get; }

    /// <param name="path">The module's state_dict prefix (e.g. <c>backbone.layer2.0</c>), for error messages and the coverage check.</param>
    IModuleSpec Map(ModuleMappingContext context, nn.Module module, string path);
}

/// <summary>Base class binding a mapper to its module type.</summary>
public abstract class ModuleMapper<TModule> : IModuleMapper where TModule : nn.Module
{
    public Type ModuleType => typeof(TModule);

    public IModuleSpec Map(ModuleMappingContext context, nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        return module is TModule typed
            ? Map(context, typed, path)
            : throw new ArgumentException($"Mapper for {typeof(TModule).Name} was handed '{path}', a {module?.GetType().Name ?? "null"}.", nameof(module));
    }

    protected abstract IModuleSpec Map(ModuleMappingContext context, TModule module, string path);
}

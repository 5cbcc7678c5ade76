using MLRFNet.Onnx.Emitters;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Onnx.Mapping;

/// <summary>
/// Mappers by TorchSharp module type (exact type: a subclass may compute something else and must register its own).
/// The counterpart of <see cref="ModuleEmitterRegistry"/>; registering a type twice throws, an unmapped module fails
/// with its state_dict path and the list of known types.
/// </summary>
public sealed class ModuleMapperRegistry
{
    private readonly Dictionary<Type, IModuleMapper> mappers = [];

    /// <summary>A registry holding the mappers for every module MLRFNet's registered variants are built from.</summary>
    public static ModuleMapperRegistry CreateDefault() => new ModuleMapperRegistry()
        .Register(new Conv2dMapper())
        .Register(new SequentialMapper())
        .Register(new ReluMapper())
        .Register(new MaxPool2dMapper())
        .Register(new AvgPool2dMapper())
        .Register(new Bottle2neckMapper())
        .Register(new BottleneckMapper())
        .Register(new BasicBlockMapper())
        .Register(new EcaModuleMapper())
        .Register(new ClassSpecificResidualAttentionMapper())
        .Register(new MultiLevelResidualClassifierMapper())
        .Register(new GlobalAveragePoolClassifierMapper());

    public IReadOnlyCollection<Type> ModuleTypes => mappers.Keys;

    public ModuleMapperRegistry Register(IModuleMapper mapper)
    {
        ArgumentNullException.ThrowIfNull(mapper);
        if (!mappers.TryAdd(mapper.ModuleType, mapper))
            throw new ArgumentException(
                $"A mapper for {mapper.ModuleType.Name} is already registered ({mappers[mapper.ModuleType].GetType().Name}).", nameof(mapper));
        return this;
    }

    public IModuleSpec Map(ModuleMappingContext context, nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (mappers.TryGetValue(module.GetType(), out var mapper)) return mapper.Map(context, module, path);
        throw new NotSupportedException(
            $"No ONNX mapper for module '{path}' of type {module.GetType().FullName}. Known types: " +
            $"{string.Join(", ", mappers.Keys.Select(t => t.Name).Order(StringComparer.Ordinal))}. " +
            "Register an IModuleMapper for it (and an IModuleEmitter for the spec it produces)." +
            (module is TorchSharp.Modules.BatchNorm2d ? " A BatchNorm2d is exported folded into the Conv2d before it; it cannot stand alone." : ""));
    }
}

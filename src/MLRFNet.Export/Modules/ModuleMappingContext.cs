using MLRFNet.Export.Graph;
using MLRFNet.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRFNet.Export.Modules;

/// <summary>
/// What a mapper works with: the registry (to map child modules), the variant record (the configuration the model
/// was built from, to cross-check what the modules say), and readers that copy tensors out as float arrays while
/// recording which state_dict entries were exported, so <see cref="UnexportedEntries"/> can prove none was dropped.
/// </summary>
public sealed class ModuleMappingContext(ModuleRegistry modules, ModelVariant variant)
{
    private readonly HashSet<string> exported = new(StringComparer.Ordinal);

    public ModelVariant Variant { get; } = variant;

    /// <summary>Maps <paramref name="module"/> (a child, found at <paramref name="path"/>) with its registered export.</summary>
    public IModuleSpec Map(nn.Module module, string path) => modules.Map(this, module, path);

    /// <summary>Maps a child that must map to a spec of type <typeparamref name="TSpec"/> (e.g. a CSRA head inside MRFC).</summary>
    public TSpec Map<TSpec>(nn.Module module, string path) where TSpec : IModuleSpec =>
        Map(module, path) is TSpec spec
            ? spec
            : throw new NotSupportedException($"Module '{path}' ({module.GetType().Name}) did not map to a {typeof(TSpec).Name}.");

    /// <summary>A float32 copy of a parameter or buffer, recorded as exported under <c>path.name</c>.</summary>
    public FloatTensor Read(Tensor? tensor, string path, string name)
    {
        if (tensor is null) throw new NotSupportedException($"Module '{path}' has no '{name}' tensor.");
        exported.Add(Join(path, name));
        using var scope = NewDisposeScope();
        var t = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();
        var values = t.data<float>().ToArray();
        foreach (var v in values)
            if (!float.IsFinite(v))
                throw new InvalidDataException($"'{Join(path, name)}' holds a non-finite value ({v}); the weights are broken, not exportable.");
        var shape = t.shape.Select(d => checked((int)d)).ToArray();
        return new FloatTensor(values, shape.Length == 0 ? [1] : shape);
    }

    /// <summary>
    /// A Conv2d with the eval-mode BatchNorm that follows it folded in (running statistics, as in inference): the
    /// folding itself is <see cref="BatchNormFolding"/>, done by the emitter.
    /// </summary>
    public Conv2dSpec ConvBatchNorm(Conv2d conv, string convPath, BatchNorm2d bn, string bnPath)
    {
        var spec = Conv(conv, convPath);
        if (!bn.affine || !bn.track_running_stats)
            throw new NotSupportedException(
                $"BatchNorm '{bnPath}' has affine={bn.affine}, track_running_stats={bn.track_running_stats}; only affine BatchNorms with running statistics fold into a conv.");
        if (bn.num_features != spec.OutChannels)
            throw new NotSupportedException($"BatchNorm '{bnPath}' has {bn.num_features} channels but conv '{convPath}' produces {spec.OutChannels}.");
        exported.Add(Join(bnPath, "num_batches_tracked"));
        return spec with
        {
            BatchNorm = new BatchNormParameters(
                Read(bn.weight, bnPath, "weight").Values, Read(bn.bias, bnPath, "bias").Values,
                Read(bn.running_mean, bnPath, "running_mean").Values, Read(bn.running_var, bnPath, "running_var").Values,
                (float)bn.eps).Validate(),
        };
    }

    /// <summary>The children <paramref name="conv"/> and <paramref name="bn"/> of <paramref name="module"/> (at <paramref name="path"/>) as one folded conv spec.</summary>
    public Conv2dSpec ConvBatchNorm(nn.Module module, string path, string conv, string bn) =>
        ConvBatchNorm(TorchModules.Child<Conv2d>(module, conv, path), Join(path, conv), TorchModules.Child<BatchNorm2d>(module, bn, path), Join(path, bn));

    /// <summary>A Conv2d with square kernel, one stride/padding/dilation for both axes and zero padding.</summary>
    public Conv2dSpec Conv(Conv2d conv, string path)
    {
        if (conv.transposed || conv.padding_type is not null || conv.padding_mode != PaddingModes.Zeros)
            throw new NotSupportedException($"Conv2d '{path}' is transposed, uses named padding or a non-zero padding mode; the exporter writes plain zero-padded convs.");
        var weight = Read(conv.weight, path, "weight");
        if (weight.Rank != 4 || weight.Shape[2] != weight.Shape[3])
            throw new NotSupportedException($"Conv2d '{path}' has a non-square kernel ({weight}); the exporter writes square kernels.");
        return new Conv2dSpec(weight)
        {
            Bias = conv.bias is null ? null : Read(conv.bias, path, "bias").Values,
            Stride = Symmetric(conv.stride, path, "stride"),
            Padding = Symmetric(conv.padding, path, "padding"),
            Dilation = Symmetric(conv.dilation, path, "dilation"),
            Groups = checked((int)conv.groups),
        };
    }

    /// <summary>State_dict entries of <paramref name="model"/> no mapper read (excluding BatchNorm batch counters of folded BNs).</summary>
    public IReadOnlyList<string> UnexportedEntries(nn.Module model) =>
        model.state_dict().Keys.Where(k => !exported.Contains(k)).Order(StringComparer.Ordinal).ToArray();

    /// <summary>One value for both spatial axes, as every conv and pool in the registered variants has.</summary>
    public static int Symmetric(long[]? values, string path, string what)
    {
        if (values is null || values.Length == 0) return what == "padding" ? 0 : 1;
        if (values.Any(v => v != values[0]))
            throw new NotSupportedException($"'{path}' has {what} [{string.Join(", ", values)}]; the exporter writes one {what} for both axes.");
        return checked((int)values[0]);
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}

// Modelled on timm's Bottle2neck (https://github.com/huggingface/pytorch-image-models/blob/main/timm/models/res2net.py),
// itself adapted from the official Res2Net code (https://github.com/gasvn/Res2Net).
using MLRFNet.Training.Models.Backbones;
using TorchSharp.Modules;
using static MLRFNet.Export.Modules.ModuleMappingContext;
using static MLRFNet.Export.Modules.TorchModules;

namespace MLRFNet.Export.Modules;

/// <summary>
/// A Res2Net bottleneck (Gao et al., "Res2Net: A New Multi-scale Backbone Architecture", 2019) with BatchNorms folded
/// into its convolutions: conv1 (1×1, bn1), <see cref="Scale"/> − 1 3×3 convs (convs[i] with bns[i]), conv3 (1×1,
/// bn3) and an optional downsample on the residual path.
/// </summary>
public sealed record Bottle2neckSpec(
    Conv2dSpec Conv1, IReadOnlyList<Conv2dSpec> Convs, Conv2dSpec Conv3, IModuleSpec? Downsample, int Scale) : IModuleSpec
{
    public string Kind => Bottle2neckExport.KindName;

    /// <summary>Channels of each of the <see cref="Scale"/> groups conv1's output is split into.</summary>
    public int Width => Conv1.OutChannels / Scale;

    public int Stride => Convs.Count > 0 ? Convs[0].Stride : 1;

    /// <summary>
    /// The first block of a stage (timm: <c>stride &gt; 1 or downsample is not None</c>; official code: stype
    /// 'stage'): its groups do not feed each other and the last group is average-pooled instead of passed through.
    /// </summary>
    public bool IsFirst => Stride > 1 || Downsample is not null;

    public Bottle2neckSpec Validate()
    {
        if (Scale < 1) throw new ArgumentException($"Res2Net scale must be at least 1 (got {Scale}).");
        if (Conv1.OutChannels % Scale != 0)
            throw new ArgumentException($"Res2Net conv1 has {Conv1.OutChannels} output channels, not divisible by scale {Scale}.");
        var expected = Math.Max(1, Scale - 1);
        if (Convs.Count != expected)
            throw new ArgumentException($"Res2Net with scale {Scale} needs {expected} 3×3 convs (got {Convs.Count}).");
        foreach (var c in Convs)
        {
            if (c.InChannels != Width || c.OutChannels != Width)
                throw new ArgumentException($"Res2Net 3×3 convs must map {Width} to {Width} channels (got {c.InChannels} to {c.OutChannels}).");
            if (c.Stride != Stride) throw new ArgumentException("Res2Net 3×3 convs must share one stride.");
        }
        if (Conv3.InChannels != Conv1.OutChannels)
            throw new ArgumentException($"Res2Net conv3 takes {Conv3.InChannels} channels but the concatenated groups have {Conv1.OutChannels}.");
        if (Downsample is null && (Stride != 1 || Conv3.OutChannels != Conv1.InChannels))
            throw new ArgumentException(
                $"Res2Net block without downsample must keep shape (stride 1, {Conv1.InChannels} channels in and out); " +
                $"it has stride {Stride} and {Conv3.OutChannels} output channels.");
        return this;
    }
}

/// <summary>
/// timm's Res2Net <c>Bottle2neck</c>. Mapping: conv1/bn1, convs.i/bns.i, conv3/bn3, optional pool and downsample; the
/// scale is the number of 3×3 convs + 1 and must be the variant's; the pass-through pool exists exactly in a stage's
/// first block and must be the 3×3, count_include_pad pool the emitter writes. Emitter: Split, the hierarchical 3×3
/// convs and adds, Concat, residual Add.
/// </summary>
public sealed class Bottle2neckExport : ModuleExport<Bottle2neck, Bottle2neckSpec>
{
    public const string KindName = "bottle2neck";

    public override string Kind => KindName;

    protected override Bottle2neckSpec Map(ModuleMappingContext context, Bottle2neck module, string path)
    {
        var convs = Children(Child<ModuleList<Conv2d>>(module, "convs", path));
        var bns = Children(Child<ModuleList<BatchNorm2d>>(module, "bns", path));
        if (convs.Count != bns.Count)
            throw new NotSupportedException($"Res2Net block '{path}' has {convs.Count} 3×3 convs but {bns.Count} BatchNorms.");
        var scale = convs.Count + 1;
        if (scale != context.Variant.Backbone.Scale)
            throw new NotSupportedException($"Res2Net block '{path}' has scale {scale} but variant '{context.Variant.Name}' says {context.Variant.Backbone.Scale}.");

        var downsample = OptionalChild<Sequential>(module, "downsample", path);
        var spec = new Bottle2neckSpec(
            context.ConvBatchNorm(module, path, "conv1", "bn1"),
            convs.Select((c, i) => context.ConvBatchNorm((Conv2d)c.Module, Join(path, $"convs.{c.Name}"), (BatchNorm2d)bns[i].Module, Join(path, $"bns.{bns[i].Name}"))).ToArray(),
            context.ConvBatchNorm(module, path, "conv3", "bn3"),
            downsample is null ? null : context.Map(downsample, Join(path, "downsample")),
            scale).Validate();

        var pool = OptionalChild<AvgPool2d>(module, "pool", path);
        if ((pool is not null) != spec.IsFirst)
            throw new NotSupportedException($"Res2Net block '{path}': a pass-through pool {(pool is null ? "is missing" : "is present")} but the block is {(spec.IsFirst ? "" : "not ")}a stage's first block.");
        if (pool is not null && context.Map(pool, Join(path, "pool")) is AvgPool2dSpec p && p != new AvgPool2dSpec(3, spec.Stride, 1, CountIncludePad: true))
            throw new NotSupportedException($"Res2Net block '{path}' pools its pass-through group with {p}; the emitter writes AvgPool2d(3, stride {spec.Stride}, padding 1, count_include_pad).");
        return spec;
    }

    protected override string Emit(EmitContext context, Bottle2neckSpec m, string input)
    {
        m.Validate();
        var g = context.Graph;
        var reduced = g.Relu(context.Emit(m.Conv1, input, "conv1"));
        var groups = m.Scale > 1 ? g.Split(reduced, axis: 1, Enumerable.Repeat(m.Width, m.Scale).ToArray()) : [reduced];

        var outputs = new List<string>(m.Scale);
        string? previous = null;
        for (var i = 0; i < m.Convs.Count; i++)
        {
            // Hierarchical residual: group i also sees the output of group i-1, except in a stage's first block.
            var sp = i == 0 || m.IsFirst ? groups[i] : g.Add(previous!, groups[i]);
            previous = g.Relu(context.Emit(m.Convs[i], sp, $"convs.{i}"));
            outputs.Add(previous);
        }
        if (m.Scale > 1)
            // The last group skips the 3×3 convs; in a first block it is pooled to the new resolution. PyTorch's
            // AvgPool2d counts padding (timm keeps that "for original weights"), hence count_include_pad.
            outputs.Add(m.IsFirst ? g.AveragePool(groups[^1], kernel: 3, stride: m.Stride, padding: 1, countIncludePad: true) : groups[^1]);

        var merged = context.Emit(m.Conv3, g.Concat(1, outputs), "conv3");
        var residual = m.Downsample is null ? input : context.Emit(m.Downsample, input, "downsample");
        return g.Relu(g.Add(merged, residual));
    }
}

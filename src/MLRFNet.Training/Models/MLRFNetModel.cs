using MLRFNet.Training.Models.Backbones;
using MLRFNet.Training.Models.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Training.Models;

/// <summary>Logits [B, classes] and the per-level class score maps [B, classes, H, W] they were pooled from.</summary>
public sealed record MLRFNetOutput(Tensor Logits, IReadOnlyList<Tensor> ScoreMaps) : IDisposable
{
    /// <summary>sigmoid(P_sum): independent per-class probabilities (multi-label).</summary>
    public Tensor Probabilities() => sigmoid(Logits);

    public void Dispose()
    {
        Logits.Dispose();
        foreach (var map in ScoreMaps) map.Dispose();
    }
}

/// <summary>
/// MLRFNet (Li et al., IEEE Access 2023): backbone → ECA on each level the head reads → classifier. State_dict
/// layout: <c>backbone.*</c> (the reference model's keys, without fc), <c>eca2/eca3/eca4.conv.weight</c>,
/// <c>classifier.*</c>.
/// </summary>
public sealed class MLRFNetModel : nn.Module<Tensor, Tensor>
{
    private static readonly IReadOnlyDictionary<HeadKind, Func<HeadConfig, IReadOnlyList<int>, int, nn.Module>> HeadFactories =
        new Dictionary<HeadKind, Func<HeadConfig, IReadOnlyList<int>, int, nn.Module>>
        {
            [HeadKind.MultiLevelResidual] = (h, channels, n) => new MultiLevelResidualClassifier(channels, n, h.Lambdas, h.Temperature),
            [HeadKind.GlobalAveragePoolLinear] = (_, channels, n) => new GlobalAveragePoolClassifier(channels[2], n),
        };

    private readonly ResNetBackbone backbone;
    private readonly EcaModule? eca2;
    private readonly EcaModule? eca3;
    private readonly EcaModule? eca4;
    private readonly nn.Module classifier;

    public MLRFNetModel(ModelVariant variant, int numClasses) : base(nameof(MLRFNetModel))
    {
        Variant = variant.Validate();
        if (numClasses < 1) throw new ArgumentException($"The model needs at least one class (got {numClasses}).");
        NumClasses = numClasses;
        backbone = new ResNetBackbone(variant.Backbone);
        classifier = HeadFactories[variant.Head.Kind](variant.Head, backbone.LevelChannels, numClasses);
        if (variant.UseEca)
        {
            var levels = Head.Levels;
            if (levels.Contains(0)) eca2 = new EcaModule();
            if (levels.Contains(1)) eca3 = new EcaModule();
            if (levels.Contains(2)) eca4 = new EcaModule();
        }
        RegisterComponents();
    }

    public ModelVariant Variant { get; }

    public int NumClasses { get; }

    /// <summary>The feature extractor; pretrained ImageNet weights are imported into it.</summary>
    public ResNetBackbone Backbone => backbone;

    // A computed property, not a field: RegisterComponents would register a second reference to the classifier
    // (under its backing field's name) and duplicate its state_dict entries.
    private IMultiLevelHead Head => (IMultiLevelHead)classifier;

    public override Tensor forward(Tensor x)
    {
        using var output = ForwardWithScoreMaps(x);
        return output.Logits.alias();
    }

    /// <summary>Logits plus the class score maps (one per level the head reads; 3 for MRFC) for heatmaps and export.</summary>
    public MLRFNetOutput ForwardWithScoreMaps(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != 3)
            throw new ArgumentException($"MLRFNet expects input [batch, 3, height, width]; got [{string.Join(", ", x.shape)}].");
        using var scope = NewDisposeScope();
        var features = backbone.call(x);
        EcaModule?[] attention = [eca2, eca3, eca4];
        var levels = Head.Levels.Select(i =>
        {
            var level = features.Levels[i];
            return attention[i] is { } eca ? eca.call(level) : level;
        }).ToArray();
        var head = Head.Classify(levels);
        return new MLRFNetOutput(head.Logits.MoveToOuterDisposeScope(), head.ScoreMaps.Select(m => m.MoveToOuterDisposeScope()).ToArray());
    }
}

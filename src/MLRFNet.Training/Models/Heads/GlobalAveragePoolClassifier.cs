using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRFNet.Training.Models.Heads;

/// <summary>
/// Ablation head of the paper's Tables 9-10: global average pooling of U4 and a linear layer (<c>fc</c>, as in
/// ResNet). Its score map is the linear layer applied at every position (a class activation map, Zhou et al. 2016):
/// by linearity its spatial mean equals the logits, so heatmaps work for this variant too.
/// </summary>
public sealed class GlobalAveragePoolClassifier : nn.Module, IMultiLevelHead
{
    private readonly Linear fc;

    public GlobalAveragePoolClassifier(int channels, int numClasses) : base(nameof(GlobalAveragePoolClassifier))
    {
        if (numClasses < 1) throw new ArgumentException($"The classifier needs at least one class (got {numClasses}).");
        fc = nn.Linear(channels, numClasses);
        RegisterComponents();
    }

    public IReadOnlyList<int> Levels => [2];

    public HeadOutput Classify(IReadOnlyList<Tensor> levels)
    {
        using var scope = NewDisposeScope();
        var u4 = levels[0];
        var logits = fc.call(u4.mean([2, 3]));
        // [B, C, H, W] x [classes, C] -> [B, classes, H, W], plus the bias at every position.
        var map = einsum("bchw,kc->bkhw", u4, fc.weight!) + fc.bias!.view(1, -1, 1, 1);
        return new HeadOutput(logits.MoveToOuterDisposeScope(), [map.MoveToOuterDisposeScope()]);
    }
}

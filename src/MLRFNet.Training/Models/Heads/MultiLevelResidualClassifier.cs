using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRFNet.Training.Models.Heads;

/// <summary>
/// The paper's multi-level residual feature classifier (MRFC): one <see cref="ClassSpecificResidualAttention"/> head
/// per level U2, U3, U4 (lambda 0.5, 0.3, 0.1 in the paper) whose logits are summed: P_sum = P1 + P2 + P3.
/// </summary>
public sealed class MultiLevelResidualClassifier : nn.Module, IMultiLevelHead
{
    private readonly ModuleList<ClassSpecificResidualAttention> csra;

    public MultiLevelResidualClassifier(IReadOnlyList<int> levelChannels, int numClasses, IReadOnlyList<float> lambdas, float temperature)
        : base(nameof(MultiLevelResidualClassifier))
    {
        if (levelChannels.Count != 3 || lambdas.Count != 3)
            throw new ArgumentException($"MRFC takes exactly 3 levels and 3 lambdas (got {levelChannels.Count} and {lambdas.Count}).");
        csra = nn.ModuleList(Enumerable.Range(0, 3)
            .Select(i => new ClassSpecificResidualAttention(levelChannels[i], numClasses, temperature, lambdas[i])).ToArray());
        RegisterComponents();
    }

    public IReadOnlyList<int> Levels => [0, 1, 2];

    public HeadOutput Classify(IReadOnlyList<Tensor> levels)
    {
        using var scope = NewDisposeScope();
        var maps = new Tensor[3];
        Tensor? logits = null;
        for (var i = 0; i < 3; i++)
        {
            maps[i] = csra[i].ScoreMap(levels[i]);
            var level = csra[i].Pool(maps[i]);
            logits = logits is null ? level : logits + level;
        }
        return new HeadOutput(logits!.MoveToOuterDisposeScope(), maps.Select(m => m.MoveToOuterDisposeScope()).ToArray());
    }
}

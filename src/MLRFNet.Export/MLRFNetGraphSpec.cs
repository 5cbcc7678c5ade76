using MLRFNet.Export.Modules;

namespace MLRFNet.Export;

/// <summary>
/// A whole MLRFNet as module specs, in the order its forward runs: stem (conv1+bn1, ReLU, max pool), the four
/// stages <c>layer1..layer4</c> whose outputs after stages 2-4 are U2, U3, U4, optional attention (ECA) on each level
/// the head reads, and the head over those levels.
/// </summary>
/// <param name="InputChannels">Channels the stem conv takes.</param>
/// <param name="HeadLevels">Levels the head reads, as indexes into (U2, U3, U4).</param>
/// <param name="Attention">Per head level, the attention spec (ECA), or null when the variant has none.</param>
public sealed record MLRFNetGraphSpec(
    int InputChannels,
    Conv2dSpec StemConv,
    IModuleSpec StemPool,
    IReadOnlyList<IModuleSpec> Stages,
    IReadOnlyList<int> HeadLevels,
    IReadOnlyList<IModuleSpec?> Attention,
    IModuleSpec Head)
{
    public MLRFNetGraphSpec Validate()
    {
        if (Stages.Count != 4) throw new ArgumentException($"An MLRFNet backbone has 4 stages (got {Stages.Count}).");
        if (HeadLevels.Count == 0 || HeadLevels.Any(l => l is < 0 or > 2) || HeadLevels.Distinct().Count() != HeadLevels.Count)
            throw new ArgumentException($"Head levels must be distinct indexes into (U2, U3, U4) (got [{string.Join(", ", HeadLevels)}]).");
        if (Attention.Count != HeadLevels.Count)
            throw new ArgumentException($"{Attention.Count} attention entries for {HeadLevels.Count} head levels.");
        return this;
    }
}

namespace MLRFNet.Training.Models.Backbones;

/// <summary>Which residual block a <see cref="ResNetBackbone"/> stacks; each keeps its reference's state_dict names.</summary>
public enum ResidualBlockKind
{
    /// <summary>Res2Net bottleneck (Gao et al., TPAMI 2021), named as timm's <c>Bottle2neck</c>.</summary>
    Bottle2neck,

    /// <summary>ResNet v1.5 bottleneck (stride in the 3x3 conv), named as torchvision's <c>Bottleneck</c>.</summary>
    Bottleneck,

    /// <summary>ResNet basic block (two 3x3 convs), named as torchvision's <c>BasicBlock</c>.</summary>
    BasicBlock,
}

/// <summary>
/// Shape of a ResNet-family backbone: a 7x7/2 stem + 3x3/2 max pool, then four stages <c>layer1..layer4</c> whose first
/// blocks of stages 2-4 halve the resolution. Data, not subclasses (timm's <c>model_cfgs</c>).
/// </summary>
/// <param name="Block">Residual block kind.</param>
/// <param name="Depths">Blocks per stage (Res2Net-50 and ResNet-50: 3, 4, 6, 3; ResNet-18: 2, 2, 2, 2).</param>
/// <param name="Planes">Bottleneck width per stage before expansion (64, 128, 256, 512 in the references).</param>
/// <param name="StemWidth">Output channels of the stem conv, also the input channels of <c>layer1</c>.</param>
/// <param name="BaseWidth">Res2Net only: the split width is floor(planes x BaseWidth / 64) (26 for "26w").</param>
/// <param name="Scale">Res2Net only: number of splits (4 for "4s").</param>
public sealed record BackboneConfig(
    ResidualBlockKind Block,
    IReadOnlyList<int> Depths,
    IReadOnlyList<int> Planes,
    int StemWidth = 64,
    int BaseWidth = 26,
    int Scale = 4)
{
    /// <summary>Output channels over a block's planes: 4 for bottlenecks, 1 for the basic block.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Expansion => Block == ResidualBlockKind.BasicBlock ? 1 : 4;

    /// <summary>Channels of the stage outputs U1..U4 (index 0..3).</summary>
    public int StageChannels(int stage) => Planes[stage] * Expansion;

    /// <summary>Res2Net split width of a stage (26, 52, 104, 208 for Res2Net-50 26w x 4s), as timm computes it.</summary>
    public int SplitWidth(int stage) => (int)Math.Floor(Planes[stage] * (BaseWidth / 64.0));

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent field.</summary>
    public BackboneConfig Validate()
    {
        if (Depths is null || Depths.Count != 4) throw new ArgumentException("Depths must list the blocks of exactly 4 stages.");
        if (Planes is null || Planes.Count != 4) throw new ArgumentException("Planes must list exactly 4 stage widths.");
        if (Depths.Any(d => d < 1)) throw new ArgumentException($"Every stage needs at least one block (Depths = [{string.Join(", ", Depths)}]).");
        if (Planes.Any(p => p < 1)) throw new ArgumentException($"Every stage width must be positive (Planes = [{string.Join(", ", Planes)}]).");
        if (StemWidth < 1) throw new ArgumentException($"StemWidth must be positive (got {StemWidth}).");
        if (Block == ResidualBlockKind.Bottle2neck)
        {
            if (Scale < 2) throw new ArgumentException($"Res2Net Scale must be at least 2 (got {Scale}).");
            for (var s = 0; s < 4; s++)
                if (SplitWidth(s) < 1)
                    throw new ArgumentException($"Res2Net split width floor({Planes[s]} x {BaseWidth} / 64) of stage {s + 1} is 0; raise Planes or BaseWidth.");
        }
        return this;
    }

    public bool Equals(BackboneConfig? other) =>
        other is not null && Block == other.Block && Depths.SequenceEqual(other.Depths) && Planes.SequenceEqual(other.Planes)
        && StemWidth == other.StemWidth && BaseWidth == other.BaseWidth && Scale == other.Scale;

    public override int GetHashCode() => HashCode.Combine(Block, StemWidth, BaseWidth, Scale, Depths.Count, Planes.Count);
}

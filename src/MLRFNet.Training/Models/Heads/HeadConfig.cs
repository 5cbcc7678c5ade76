namespace MLRFNet.Training.Models.Heads;

public enum HeadKind
{
    /// <summary>The paper's MRFC: CSRA heads on U2, U3, U4, logits summed.</summary>
    MultiLevelResidual,

    /// <summary>Ablation: global average pool of U4 and a linear layer.</summary>
    GlobalAveragePoolLinear,
}

/// <summary>
/// Classifier settings. Defaults are the paper's: lambda 0.5 / 0.3 / 0.1 for U2 / U3 / U4 and T = 99 (max pooling,
/// the CSRA reference code's sentinel).
/// </summary>
public sealed record HeadConfig(HeadKind Kind, IReadOnlyList<float> Lambdas, float Temperature)
{
    public static HeadConfig PaperMrfc { get; } = new(HeadKind.MultiLevelResidual, [0.5f, 0.3f, 0.1f], ClassSpecificResidualAttention.MaxPoolingTemperature);

    public static HeadConfig GapLinear { get; } = new(HeadKind.GlobalAveragePoolLinear, [], 0f);

    public bool Equals(HeadConfig? other) =>
        other is not null && Kind == other.Kind && Lambdas.SequenceEqual(other.Lambdas) && Temperature == other.Temperature;

    public override int GetHashCode() => HashCode.Combine(Kind, Temperature, Lambdas.Count);
}

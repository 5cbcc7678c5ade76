namespace MLRFNet.Training.Losses;

/// <summary>Loss names for the CLI and a factory from <see cref="LossSettings"/> (registry over switch).</summary>
public static class LossFunctions
{
    private static readonly IReadOnlyDictionary<string, LossSettings> ByName = new Dictionary<string, LossSettings>(StringComparer.Ordinal)
    {
        ["biased-focal"] = LossSettings.PaperBiasedFocal,
        ["focal"] = LossSettings.LinFocal,
        ["bce"] = LossSettings.BinaryCrossEntropy,
    };

    private static readonly IReadOnlyDictionary<LossKind, Func<LossSettings, MultiLabelLoss>> Factories =
        new Dictionary<LossKind, Func<LossSettings, MultiLabelLoss>>
        {
            [LossKind.BiasedFocal] = s => new BiasedFocalLoss(s.Alpha, s.Beta, s.Shift),
            [LossKind.Focal] = s => new BiasedFocalLoss(s.Alpha, s.Beta, 0f),
            [LossKind.BinaryCrossEntropy] = _ => new BinaryCrossEntropyLoss(),
        };

    public static IReadOnlyCollection<string> Names => (IReadOnlyCollection<string>)ByName.Keys;

    /// <summary>Default settings of a named loss; throws listing the names when unknown.</summary>
    public static LossSettings Settings(string name) =>
        ByName.TryGetValue(name, out var settings)
            ? settings
            : throw new KeyNotFoundException($"Unknown loss '{name}'. Known losses: {string.Join(", ", ByName.Keys)}.");

    public static MultiLabelLoss Create(LossSettings settings) => Factories[settings.Validate().Kind](settings);
}

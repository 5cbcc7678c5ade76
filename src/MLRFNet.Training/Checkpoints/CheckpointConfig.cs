using MLRFNet.Core.Labels;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Training.Losses;
using MLRFNet.Training.Models;

namespace MLRFNet.Training.Checkpoints;

/// <summary>
/// Everything needed to rebuild, export or serve a checkpoint without guessing: the full variant record (not just its
/// name, so old checkpoints survive registry changes), the label set in output-column order, the preprocessing the
/// weights were trained with, and the loss settings. Stored as <c>config.json</c> inside the checkpoint.
/// </summary>
public sealed record CheckpointConfig
{
    public const string FormatName = "mlrfnet-checkpoint";
    public const int CurrentFormatVersion = 1;

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required ModelVariant Variant { get; init; }

    public required LabelSet LabelSet { get; init; }

    public required PreprocessingSpec Preprocessing { get; init; }

    public required LossSettings Loss { get; init; }

    /// <summary>Where the initial weights came from (e.g. <c>ResNet18.onnx</c>), or null for a random init.</summary>
    public string? PretrainedFrom { get; init; }

    /// <summary>Training epochs completed.</summary>
    public int? Epoch { get; init; }

    /// <summary>Named validation figures at save time (e.g. <c>mean_auc</c>).</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }

    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>A config for <paramref name="model"/>; preprocessing defaults to the variant's.</summary>
    public static CheckpointConfig For(MLRFNetModel model, LabelSet labelSet, LossSettings loss, PreprocessingSpec? preprocessing = null) =>
        new()
        {
            Variant = model.Variant,
            LabelSet = labelSet,
            Preprocessing = preprocessing ?? model.Variant.Preprocessing,
            Loss = loss,
        };

    /// <summary>Throws <see cref="FormatException"/> naming the field that makes this config unusable.</summary>
    public CheckpointConfig Validate()
    {
        if (Format != FormatName) throw new FormatException($"Not an MLRFNet checkpoint config (format '{Format}', expected '{FormatName}').");
        if (FormatVersion > CurrentFormatVersion)
            throw new FormatException($"Checkpoint format version {FormatVersion} is newer than this build understands ({CurrentFormatVersion}); update MLRFNet.Edge.");
        if (Variant is null || LabelSet is null || Preprocessing is null || Loss is null)
            throw new FormatException("Checkpoint config lacks one of variant, labelSet, preprocessing, loss.");
        try
        {
            Variant.Validate();
            Preprocessing.Validate();
            Loss.Validate();
        }
        catch (ArgumentException e) { throw new FormatException($"Checkpoint config is invalid: {e.Message}", e); }
        return this;
    }
}

namespace MLRFNet.Training.Losses;

public enum LossKind
{
    /// <summary>The paper's biased focal loss (eqs. 3-4).</summary>
    BiasedFocal,

    /// <summary>Lin et al.'s alpha-balanced focal loss (ICCV 2017); the biased focal loss with no shift.</summary>
    Focal,

    /// <summary>Plain binary cross-entropy on logits.</summary>
    BinaryCrossEntropy,
}

/// <summary>
/// Loss choice and hyper-parameters; recorded in every checkpoint. <see cref="Alpha"/> weights positives and
/// (1 - alpha) negatives, <see cref="Beta"/> is the focusing exponent, <see cref="Shift"/> the probability shift
/// applied to negatives (0 for focal loss and BCE, which ignore what they do not use).
/// </summary>
public sealed record LossSettings(LossKind Kind, float Alpha, float Beta, float Shift)
{
    /// <summary>
    /// The paper's setting: alpha = 0.4, shift s = 0.2 on negatives. The paper gives no beta; 2 is Lin et al.'s
    /// default gamma for focal loss.
    /// </summary>
    public static LossSettings PaperBiasedFocal { get; } = new(LossKind.BiasedFocal, 0.4f, 2f, 0.2f);

    /// <summary>Lin et al.'s defaults: alpha = 0.25, gamma = 2.</summary>
    public static LossSettings LinFocal { get; } = new(LossKind.Focal, 0.25f, 2f, 0f);

    public static LossSettings BinaryCrossEntropy { get; } = new(LossKind.BinaryCrossEntropy, 0.5f, 0f, 0f);

    public LossSettings Validate()
    {
        if (!(Alpha >= 0 && Alpha <= 1)) throw new ArgumentException($"Loss alpha must lie in [0, 1] (got {Alpha}).");
        if (!(Beta >= 0) || !float.IsFinite(Beta)) throw new ArgumentException($"Loss beta (focusing exponent) must be finite and >= 0 (got {Beta}).");
        if (!(Shift >= 0 && Shift < 1)) throw new ArgumentException($"Loss probability shift must lie in [0, 1) (got {Shift}).");
        if (Kind != LossKind.BiasedFocal && Shift != 0)
            throw new ArgumentException($"A probability shift ({Shift}) only applies to the biased focal loss; use kind BiasedFocal.");
        return this;
    }
}

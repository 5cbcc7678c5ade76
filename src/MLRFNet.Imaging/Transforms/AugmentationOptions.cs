namespace MLRFNet.Imaging.Transforms;

/// <summary>
/// Training augmentation of issue 4 (defaults): random crop of CropSize from the ResizeSize-resized image,
/// horizontal flip with p = 0.5, rotation uniform in ±5°, brightness and contrast factors uniform in [0.9, 1.1].
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>Probability of a horizontal flip (torchvision RandomHorizontalFlip p).</summary>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary>Rotation angle is uniform in [−MaxRotationDegrees, +MaxRotationDegrees]; positive = counter-clockwise.</summary>
    public double MaxRotationDegrees { get; init; } = 5;

    /// <summary>Brightness factor uniform in [max(0, 1 − Brightness), 1 + Brightness] (torchvision ColorJitter).</summary>
    public double Brightness { get; init; } = 0.1;

    /// <summary>Contrast factor uniform in [max(0, 1 − Contrast), 1 + Contrast] (torchvision ColorJitter).</summary>
    public double Contrast { get; init; } = 0.1;

    public static AugmentationOptions Default { get; } = new();

    public AugmentationOptions Validate()
    {
        if (FlipProbability is < 0 or > 1 || double.IsNaN(FlipProbability))
            throw new ArgumentException($"FlipProbability must be in [0, 1] (got {FlipProbability}).");
        if (!(MaxRotationDegrees >= 0) || MaxRotationDegrees > 180)
            throw new ArgumentException($"MaxRotationDegrees must be in [0, 180] (got {MaxRotationDegrees}).");
        if (!(Brightness >= 0) || double.IsInfinity(Brightness)) throw new ArgumentException($"Brightness must be ≥ 0 (got {Brightness}).");
        if (!(Contrast >= 0) || double.IsInfinity(Contrast)) throw new ArgumentException($"Contrast must be ≥ 0 (got {Contrast}).");
        return this;
    }
}

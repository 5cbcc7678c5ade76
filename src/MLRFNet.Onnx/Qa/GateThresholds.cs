using MLRFNet.Core.Manifest;

namespace MLRFNet.Onnx.Qa;

/// <summary>
/// The accuracy the candidate may lose against the reference, as AUC drops (reference - candidate): on the mean
/// over defined classes and on any single class.
/// </summary>
/// <param name="ClassResolutionPairs">
/// A class's AUC moves in steps of 1/(P·N) (P positives, N negatives): one positive/negative pair changing order.
/// On a small evaluation set that step can be coarser than <paramref name="MaxClassAucDrop"/> (2 positives among 84
/// images: 1/164 = 0.0061 &gt; 0.002), and the limit would then demand that not a single pair swap. A class's allowed
/// drop is therefore max(MaxClassAucDrop, ClassResolutionPairs / (P·N)); 0 applies the bare limit. The mean-AUC
/// limit is not relaxed.
/// </param>
public sealed record GateThresholds(double MaxMeanAucDrop, double MaxClassAucDrop, int ClassResolutionPairs = 1)
{
    /// <summary>
    /// Positives a class needs to be judged (default 10): below that its AUC moves in steps too coarse, and its
    /// bootstrap too unstable, to say anything about a drop of a few thousandths. Such a class is "not judged".
    /// </summary>
    public int MinPositives { get; init; } = 10;

    /// <summary>Judged classes needed for a verdict on the mean AUC (default 3); fewer gives "inconclusive".</summary>
    public int MinJudgedClasses { get; init; } = 3;

    /// <summary>Images needed for any verdict (default 50); fewer gives "inconclusive".</summary>
    public int MinImages { get; init; } = 50;

    /// <summary>
    /// Largest share of studies whose set of flagged findings may change at the deployed thresholds (what a clinic
    /// sees): FP16 0.01, INT8 0.03.
    /// </summary>
    public double MaxFlagChangeShare { get; init; } = 0.01;

    /// <summary>The drop class with <paramref name="positives"/> and <paramref name="negatives"/> may show.</summary>
    public double AllowedClassDrop(int positives, int negatives) =>
        positives > 0 && negatives > 0 ? Math.Max(MaxClassAucDrop, ClassResolutionPairs / ((double)positives * negatives)) : MaxClassAucDrop;

    /// <summary>INT8 default: mean drop at most 0.005, no class more than 0.01 (issue 6).</summary>
    public static GateThresholds Int8 { get; } = new(0.005, 0.01) { MaxFlagChangeShare = 0.03 };

    /// <summary>FP16 (and FP32 re-exports) default: 0.001 and 0.002; float16 should be nearly lossless.</summary>
    public static GateThresholds Float16 { get; } = new(0.001, 0.002);

    public static GateThresholds For(ModelPrecision precision) => precision switch
    {
        ModelPrecision.Int8 => Int8,
        ModelPrecision.Fp16 or ModelPrecision.Fp32 => Float16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Precision must be Fp32, Fp16 or Int8."),
    };

    public GateThresholds Validate()
    {
        if (!(MaxMeanAucDrop >= 0 && MaxMeanAucDrop < 1))
            throw new ArgumentOutOfRangeException(nameof(MaxMeanAucDrop), MaxMeanAucDrop, "The allowed mean AUC drop is in [0, 1), e.g. 0.005.");
        if (!(MaxClassAucDrop >= 0 && MaxClassAucDrop < 1))
            throw new ArgumentOutOfRangeException(nameof(MaxClassAucDrop), MaxClassAucDrop, "The allowed per-class AUC drop is in [0, 1), e.g. 0.01.");
        if (ClassResolutionPairs is < 0 or > 10)
            throw new ArgumentOutOfRangeException(nameof(ClassResolutionPairs), ClassResolutionPairs, "The per-class resolution floor is 0 to 10 swapped pairs (1 by default, 0 = the bare limit).");
        if (MinPositives is < 1 or > 10_000)
            throw new ArgumentOutOfRangeException(nameof(MinPositives), MinPositives, "A class needs 1 to 10000 positives to be judged (10 by default).");
        if (MinJudgedClasses < 1)
            throw new ArgumentOutOfRangeException(nameof(MinJudgedClasses), MinJudgedClasses, "At least one class must be judged (3 by default).");
        if (MinImages < 1)
            throw new ArgumentOutOfRangeException(nameof(MinImages), MinImages, "The evaluation-set floor is at least 1 image (50 by default).");
        if (!(MaxFlagChangeShare >= 0 && MaxFlagChangeShare <= 1))
            throw new ArgumentOutOfRangeException(nameof(MaxFlagChangeShare), MaxFlagChangeShare, "The allowed share of studies with changed findings is in [0, 1], e.g. 0.03.");
        return this;
    }
}

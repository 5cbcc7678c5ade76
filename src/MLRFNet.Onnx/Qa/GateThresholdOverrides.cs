using System.Globalization;
using MLRFNet.Core.Manifest;

namespace MLRFNet.Onnx.Qa;

/// <summary>
/// The gate limits a user set; the rest come from the candidate precision's gate (<see cref="GateThresholds.For"/>:
/// INT8 0.005 / 0.01, FP16 0.001 / 0.002). Validated here with the command-line option names, since that is where a
/// bad value comes from.
/// </summary>
public sealed record GateThresholdOverrides
{
    public double? MaxMeanAucDrop { get; init; }
    public double? MaxClassAucDrop { get; init; }
    public int ClassResolutionPairs { get; init; } = 1;
    public double? MaxFlagChangeShare { get; init; }
    public int MinPositives { get; init; } = 10;
    public int MinJudgedClasses { get; init; } = 3;
    public int MinImages { get; init; } = 50;

    /// <summary>The thresholds for a candidate of <paramref name="precision"/>.</summary>
    public GateThresholds Resolve(ModelPrecision precision)
    {
        var defaults = GateThresholds.For(precision);
        var mean = Drop("--max-mean-drop", MaxMeanAucDrop ?? defaults.MaxMeanAucDrop);
        var perClass = Drop("--max-class-drop", MaxClassAucDrop ?? defaults.MaxClassAucDrop);
        if (ClassResolutionPairs is < 0 or > 10) throw new ArgumentException($"--class-resolution-pairs must be 0 to 10 (got {ClassResolutionPairs}).");
        var flag = MaxFlagChangeShare ?? defaults.MaxFlagChangeShare;
        if (!(flag >= 0 && flag <= 1)) throw new ArgumentException($"--max-flag-change must be a share in [0, 1], e.g. 0.03 (got {flag.ToString(CultureInfo.InvariantCulture)}).");
        if (MinPositives < 1) throw new ArgumentException($"--min-positives must be at least 1 (got {MinPositives}).");
        if (MinJudgedClasses < 1) throw new ArgumentException($"--min-judged-classes must be at least 1 (got {MinJudgedClasses}).");
        if (MinImages < 1) throw new ArgumentException($"--min-images must be at least 1 (got {MinImages}).");
        return (new GateThresholds(mean, perClass, ClassResolutionPairs)
        {
            MaxFlagChangeShare = flag, MinPositives = MinPositives, MinJudgedClasses = MinJudgedClasses, MinImages = MinImages,
        }).Validate();
    }

    /// <summary>Checks the values without a precision (the defaults of every precision are valid).</summary>
    public GateThresholdOverrides Validate()
    {
        Resolve(ModelPrecision.Int8);
        return this;
    }

    private static double Drop(string option, double value) =>
        value is >= 0 and < 1 ? value
            : throw new ArgumentException($"{option} must be an AUC drop in [0, 1), e.g. 0.005 (got {value.ToString(CultureInfo.InvariantCulture)}).");
}

using System.CommandLine;
using System.Globalization;
using MLRFNet.Core.Manifest;
using MLRFNet.Onnx.Qa;

namespace MLRFNet.Cli.Quantizing;

/// <summary>
/// <c>--max-mean-drop</c> and <c>--max-class-drop</c> of <c>qa</c> and <c>quantize --fallback</c>: the allowed AUC
/// drops, each defaulting to the candidate precision's gate (<see cref="GateThresholds.For"/>: INT8 0.005 / 0.01,
/// FP16 0.001 / 0.002, issue 6).
/// </summary>
internal sealed class GateThresholdOptions(string purpose)
{
    public Option<double?> MaxMeanDrop { get; } = new("--max-mean-drop") { Description = purpose + "allowed drop of the mean AUC (default: INT8 0.005, FP16 0.001)." };
    public Option<double?> MaxClassDrop { get; } = new("--max-class-drop") { Description = purpose + "allowed AUC drop of any one class (default: INT8 0.01, FP16 0.002)." };

    public Option<int> ResolutionPairs { get; } = new("--class-resolution-pairs")
    {
        Description = purpose + "a class may always drop this many swapped positive/negative pairs, 1/(P·N) each, when that is more than --max-class-drop (small sets; 0 = off).",
        DefaultValueFactory = _ => 1,
    };

    public Option<double?> MaxFlagChange { get; } = new("--max-flag-change") { Description = purpose + "allowed share of studies whose flagged findings change at the deployed thresholds (default: INT8 0.03, FP16 0.01)." };
    public Option<int> MinPositives { get; } = new("--min-positives") { Description = purpose + "positives a class needs to be judged; classes with fewer are reported as not judged.", DefaultValueFactory = _ => 10 };
    public Option<int> MinJudgedClasses { get; } = new("--min-judged-classes") { Description = purpose + "judged classes needed for a verdict; fewer gives INCONCLUSIVE.", DefaultValueFactory = _ => 3 };
    public Option<int> MinImages { get; } = new("--min-images") { Description = purpose + "evaluation images needed for a verdict; fewer gives INCONCLUSIVE.", DefaultValueFactory = _ => 50 };

    public IEnumerable<Option> All => [MaxMeanDrop, MaxClassDrop, ResolutionPairs, MaxFlagChange, MinPositives, MinJudgedClasses, MinImages];

    public GateThresholds Resolve(ParseResult parse, ModelPrecision precision)
    {
        var defaults = GateThresholds.For(precision);
        var mean = Check(MaxMeanDrop, parse.GetValue(MaxMeanDrop) ?? defaults.MaxMeanAucDrop);
        var perClass = Check(MaxClassDrop, parse.GetValue(MaxClassDrop) ?? defaults.MaxClassAucDrop);
        var pairs = parse.GetValue(ResolutionPairs);
        if (pairs is < 0 or > 10) throw new ArgumentException($"--class-resolution-pairs must be 0 to 10 (got {pairs}).");
        var flag = parse.GetValue(MaxFlagChange) ?? defaults.MaxFlagChangeShare;
        if (!(flag >= 0 && flag <= 1)) throw new ArgumentException($"--max-flag-change must be a share in [0, 1], e.g. 0.03 (got {flag.ToString(CultureInfo.InvariantCulture)}).");
        var positives = parse.GetValue(MinPositives);
        if (positives < 1) throw new ArgumentException($"--min-positives must be at least 1 (got {positives}).");
        var judged = parse.GetValue(MinJudgedClasses);
        if (judged < 1) throw new ArgumentException($"--min-judged-classes must be at least 1 (got {judged}).");
        var images = parse.GetValue(MinImages);
        if (images < 1) throw new ArgumentException($"--min-images must be at least 1 (got {images}).");
        return (new GateThresholds(mean, perClass, pairs)
        {
            MaxFlagChangeShare = flag, MinPositives = positives, MinJudgedClasses = judged, MinImages = images,
        }).Validate();
    }

    private static double Check(Option option, double value) =>
        value is >= 0 and < 1 ? value
            : throw new ArgumentException($"{option.Name} must be an AUC drop in [0, 1), e.g. 0.005 (got {value.ToString(CultureInfo.InvariantCulture)}).");
}

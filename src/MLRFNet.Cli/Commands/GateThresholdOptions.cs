using System.CommandLine;
using MLRFNet.Onnx.Qa;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// <c>--max-mean-drop</c>, <c>--max-class-drop</c> and the other gate limits of <c>qa</c> and <c>quantize
/// --fallback</c>: the values given, each defaulting to the candidate precision's gate (<see cref="GateThresholdOverrides"/>).
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

    /// <summary>The limits given, checked now so a bad value fails before any model is read.</summary>
    public GateThresholdOverrides Parse(ParseResult parse) => new GateThresholdOverrides
    {
        MaxMeanAucDrop = parse.GetValue(MaxMeanDrop),
        MaxClassAucDrop = parse.GetValue(MaxClassDrop),
        ClassResolutionPairs = parse.GetValue(ResolutionPairs),
        MaxFlagChangeShare = parse.GetValue(MaxFlagChange),
        MinPositives = parse.GetValue(MinPositives),
        MinJudgedClasses = parse.GetValue(MinJudgedClasses),
        MinImages = parse.GetValue(MinImages),
    }.Validate();
}

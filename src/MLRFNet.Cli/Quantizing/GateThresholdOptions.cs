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

    public IEnumerable<Option> All => [MaxMeanDrop, MaxClassDrop, ResolutionPairs];

    public GateThresholds Resolve(ParseResult parse, ModelPrecision precision)
    {
        var defaults = GateThresholds.For(precision);
        var mean = Check(MaxMeanDrop, parse.GetValue(MaxMeanDrop) ?? defaults.MaxMeanAucDrop);
        var perClass = Check(MaxClassDrop, parse.GetValue(MaxClassDrop) ?? defaults.MaxClassAucDrop);
        var pairs = parse.GetValue(ResolutionPairs);
        if (pairs is < 0 or > 10) throw new ArgumentException($"--class-resolution-pairs must be 0 to 10 (got {pairs}).");
        return new GateThresholds(mean, perClass, pairs).Validate();
    }

    private static double Check(Option option, double value) =>
        value is >= 0 and < 1 ? value
            : throw new ArgumentException($"{option.Name} must be an AUC drop in [0, 1), e.g. 0.005 (got {value.ToString(CultureInfo.InvariantCulture)}).");
}

using System.CommandLine;
using MLRFNet.Onnx.Quantization.Jobs;

namespace MLRFNet.Cli.Commands;

/// <summary><c>quantize --precision int8 --fallback</c> and its gate images and limits, parsed into <see cref="FallbackJobOptions"/>.</summary>
internal sealed class FallbackOptions
{
    private readonly Option<bool> fallback = new("--fallback") { Description = "Accuracy-aware: while the QA gate fails on --labels/--images, keep the worst layer in float and quantize again." };
    private readonly DatasetOptions gateData = new(required: false, purpose: "--fallback gate images (held out from calibration)");
    private readonly GateThresholdOptions thresholds = new("--fallback gate: ");
    private readonly Option<int> maxFloatNodes = new("--max-float-nodes") { Description = "--fallback: most layers kept in float before giving up.", DefaultValueFactory = _ => 8 };

    public IEnumerable<Option> All => [fallback, gateData.Labels, gateData.Images, gateData.Kind, gateData.Uncertainty, .. thresholds.All, maxFloatNodes];

    /// <summary>Null without <c>--fallback</c>; its gate images are loaded only after every other check.</summary>
    public FallbackJobOptions? Parse(ParseResult parse, TextWriter log)
    {
        var withFallback = parse.GetValue(fallback);
        if (withFallback != gateData.IsGiven(parse))
            throw new ArgumentException(withFallback
                ? "--fallback needs gate images: give --labels CSV and --images DIR (held-out labelled images, not the calibration ones)."
                : "--labels/--images are the --fallback gate's images; add --fallback or leave them out.");
        if (!withFallback && new Option[] { thresholds.MaxMeanDrop, thresholds.MaxClassDrop, maxFloatNodes }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } stray)
            throw new ArgumentException($"{stray.Name} sets the --fallback gate; add --fallback or leave it out.");
        if (!withFallback) return null;
        var limits = thresholds.Parse(parse);
        var maxFloat = parse.GetValue(maxFloatNodes);
        if (maxFloat < 0) throw new ArgumentException($"--max-float-nodes must be 0 or more (got {maxFloat}).");
        return new FallbackJobOptions
        {
            GateImages = gateData.Load(parse, log),
            GateImagesName = parse.GetValue(gateData.Labels)!.Name,
            Thresholds = limits,
            MaxFloatNodes = maxFloat,
        };
    }
}

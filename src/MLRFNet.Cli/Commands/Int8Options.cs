using System.CommandLine;
using System.Globalization;
using MLRFNet.Onnx.Quantization;
using MLRFNet.Onnx.Quantization.Calibration;
using MLRFNet.Onnx.Quantization.Jobs;

namespace MLRFNet.Cli.Commands;

/// <summary>The options of <c>quantize --precision int8</c>, parsed into <see cref="Int8JobOptions"/>.</summary>
internal sealed class Int8Options
{
    private static readonly Dictionary<string, QuantizationScheme> Schemes = new(StringComparer.OrdinalIgnoreCase) { ["s8s8"] = QuantizationScheme.S8S8, ["u8s8"] = QuantizationScheme.U8S8 };
    private static readonly Dictionary<string, CalibrationMethod> Methods = new(StringComparer.OrdinalIgnoreCase)
    {
        ["minmax"] = CalibrationMethod.MinMax, ["percentile"] = CalibrationMethod.Percentile, ["entropy"] = CalibrationMethod.Entropy,
    };

    private readonly DatasetOptions calibration = new("calibration-", required: false, purpose: "INT8 calibration images");
    private readonly Option<string> target = new("--target")
    {
        Description = "Runtime the model is for, which picks the scheme: cpu (ONNX Runtime CPU provider: U8S8) | tensorrt | cuda (TensorRT: S8S8).",
        DefaultValueFactory = _ => "cpu",
    };
    private readonly Option<string?> scheme = new("--scheme") { Description = "Override the --target's scheme: u8s8 (uint8 activations) | s8s8 (symmetric int8 activations)." };
    private readonly Option<string> method = new("--calibration") { Description = "Activation ranges: minmax | percentile | entropy (KL, TensorRT-style).", DefaultValueFactory = _ => "minmax" };
    private readonly Option<double> percentile = new("--percentile") { Description = "Percentile kept by --calibration percentile.", DefaultValueFactory = _ => 99.999 };
    private readonly Option<int> maxImages = new("--max-calibration-images") { Description = "Calibration images used, spread evenly over the labels file.", DefaultValueFactory = _ => 256 };
    private readonly Option<int> batchSize = new("--calibration-batch-size") { Description = "Images per calibration run (every intermediate tensor is kept for a batch: keep it small).", DefaultValueFactory = _ => 4 };
    private readonly Option<DirectoryInfo?> cache = new("--cache") { Description = "Preprocessed-image cache folder (default: the system temp folder, shared with evaluate and qa)." };
    private readonly Option<bool> debug = new("--debug") { Description = "Print the activations with the lowest SQNR (FP32 vs INT8 on the calibration images) and write them all to <out>.sqnr.json." };
    private readonly FallbackOptions fallback = new();

    public Int8Options() => All = [calibration.Labels, calibration.Images, calibration.Kind, calibration.Uncertainty, target, scheme, method, percentile,
        maxImages, batchSize, cache, debug, .. fallback.All];

    /// <summary>Options only <c>--precision int8</c> takes.</summary>
    public IReadOnlyList<Option> All { get; }

    public Int8JobOptions Parse(ParseResult parse, TextWriter log)
    {
        var targetName = parse.GetValue(target)!;
        if (!QuantizationTargets.ByName.TryGetValue(targetName, out var t))
            throw new ArgumentException($"--target '{targetName}' is not known; use {string.Join(", ", QuantizationTargets.ByName.Keys)}.");
        var schemeName = parse.GetValue(scheme);
        QuantizationScheme? s = null;
        if (schemeName is not null)
            s = Schemes.TryGetValue(schemeName, out var given) ? given : throw new ArgumentException($"--scheme '{schemeName}' is not known; use {string.Join(" or ", Schemes.Keys)}.");
        if (t.Incompatibility(s ?? t.DefaultScheme()) is { } problem) throw new ArgumentException(problem + ".");
        var methodName = parse.GetValue(method)!;
        if (!Methods.TryGetValue(methodName, out var m))
            throw new ArgumentException($"--calibration '{methodName}' is not known; use {string.Join(", ", Methods.Keys)}.");
        var p = parse.GetValue(percentile);
        if (!(p > 50 && p <= 100)) throw new ArgumentException($"--percentile must be in (50, 100], e.g. 99.999 (got {p.ToString(CultureInfo.InvariantCulture)}).");
        if (parse.GetResult(percentile) is { Implicit: false } && m != CalibrationMethod.Percentile)
            throw new ArgumentException("--percentile applies to --calibration percentile only.");
        if (!calibration.IsGiven(parse))
            throw new ArgumentException("--precision int8 needs calibration images: give --calibration-labels CSV and --calibration-images DIR (a few hundred images of the training data).");
        var gate = fallback.Parse(parse, log); // refuses a half-given fallback before any image list is read
        return new Int8JobOptions
        {
            Calibration = calibration.Load(parse, log),
            CalibrationName = parse.GetValue(calibration.Labels)!.Name,
            Target = t,
            Scheme = s,
            Ranges = new CalibrationOptions { Method = m, Percentile = p },
            MaxCalibrationImages = parse.GetValue(maxImages),
            CalibrationBatchSize = parse.GetValue(batchSize),
            CacheFolder = parse.GetValue(cache)?.FullName,
            Debug = parse.GetValue(debug),
            Fallback = gate,
        };
    }
}

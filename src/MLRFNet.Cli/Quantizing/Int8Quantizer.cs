using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MLRFNet.Cli.Commands;
using MLRFNet.Core.Manifest;
using MLRFNet.Onnx.Qa;
using MLRFNet.Onnx.Quantization;
using MLRFNet.Onnx.Quantization.Calibration;
using MLRFNet.Onnx.Quantization.Proto;
using Onnx;

namespace MLRFNet.Cli.Quantizing;

/// <summary>
/// <c>--precision int8</c>: static QDQ quantization (<see cref="QdqQuantizer"/>) calibrated on labelled images fed
/// through the model's own preprocessing; <c>--debug</c> ranks the activations by SQNR
/// (<see cref="QuantizationDebugger"/>); <c>--fallback</c> keeps the worst layers in float until the accuracy gate
/// passes on <c>--labels/--images</c> (<see cref="AccuracyAwareFallback"/>).
/// </summary>
internal sealed class Int8Quantizer : IPrecisionQuantizer
{
    private static readonly Dictionary<string, QuantizationScheme> Schemes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["s8s8"] = QuantizationScheme.S8S8,
        ["u8s8"] = QuantizationScheme.U8S8,
    };

    private static readonly Dictionary<string, CalibrationMethod> Methods = new(StringComparer.OrdinalIgnoreCase)
    {
        ["minmax"] = CalibrationMethod.MinMax,
        ["percentile"] = CalibrationMethod.Percentile,
        ["entropy"] = CalibrationMethod.Entropy,
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
    private readonly Option<bool> fallback = new("--fallback") { Description = "Accuracy-aware: while the QA gate fails on --labels/--images, keep the worst layer in float and quantize again." };
    private readonly DatasetOptions gateData = new(required: false, purpose: "--fallback gate images (held out from calibration)");
    private readonly GateThresholdOptions thresholds = new("--fallback gate: ");
    private readonly Option<int> maxFloatNodes = new("--max-float-nodes") { Description = "--fallback: most layers kept in float before giving up.", DefaultValueFactory = _ => 8 };

    public Int8Quantizer()
    {
        Options = [calibration.Labels, calibration.Images, calibration.Kind, calibration.Uncertainty, target, scheme, method, percentile,
            maxImages, batchSize, cache, debug, fallback, gateData.Labels, gateData.Images, gateData.Kind, gateData.Uncertainty,
            .. thresholds.All, maxFloatNodes];
    }

    public string Name => "int8";

    public ModelPrecision Precision => ModelPrecision.Int8;

    public IReadOnlyList<Option> Options { get; }

    public IEnumerable<string> ExtraOutputs(QuantizeJob job) =>
        job.Parse.GetValue(debug) ? [SqnrReportJson.PathFor(job.OutputPath)] : [];

    public QuantizeOutcome Run(QuantizeJob job)
    {
        var parse = job.Parse;
        var (options, runsOn) = BuildOptions(job);
        if (!calibration.IsGiven(parse))
            throw new ArgumentException("--precision int8 needs calibration images: give --calibration-labels CSV and --calibration-images DIR (a few hundred images of the training data).");
        var withFallback = parse.GetValue(fallback);
        if (withFallback != gateData.IsGiven(parse))
            throw new ArgumentException(withFallback
                ? "--fallback needs gate images: give --labels CSV and --images DIR (held-out labelled images, not the calibration ones)."
                : "--labels/--images are the --fallback gate's images; add --fallback or leave them out.");
        if (!withFallback && new Option[] { thresholds.MaxMeanDrop, thresholds.MaxClassDrop, maxFloatNodes }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } stray)
            throw new ArgumentException($"{stray.Name} sets the --fallback gate; add --fallback or leave it out.");
        var limit = parse.GetValue(maxImages);
        if (limit < 1) throw new ArgumentException($"--max-calibration-images must be at least 1 (got {limit}).");

        var spec = job.Reference.Preprocessing;
        var model = OnnxModelFile.Load(job.ModelPath);
        OnnxModelFile.NameUnnamedNodes(model.Graph);
        QdqQuantizer.PlanOnly(model, options); // refuses unknown --exclude-node names and unsupported graphs before any image is read
        job.Output.WriteLine("int8 scheme: " + runsOn.Explain(options.Scheme, parse.GetResult(scheme) is { Implicit: false }));
        var all = calibration.Load(parse, job.Output);
        var images = DatasetTensors.EvenlySpaced(all, limit);
        var imageCache = DatasetTensors.Cache(spec, parse.GetValue(cache)?.FullName);
        var reader = new DatasetCalibrationReader(images, spec, imageCache, DatasetTensors.ImageInputName(model), parse.GetValue(batchSize));
        job.Output.WriteLine($"calibrating on {images.Count} of {all.Count} images ({parse.GetValue(calibration.Labels)!.Name}), batches of {parse.GetValue(batchSize)}, " +
                             $"{options.Scheme}, {Describe(options.Calibration)}");

        var clock = Stopwatch.StartNew();
        QuantizationResult result;
        IReadOnlyList<string> keptFloat = [];
        var exitCode = 0;
        if (withFallback)
        {
            var outcome = RunFallback(job, model, reader, options, spec, imageCache);
            (result, keptFloat) = (outcome.Result, outcome.KeptInFloat);
            if (!outcome.Passed) exitCode = 1;
        }
        else
        {
            result = QdqQuantizer.Quantize(model, reader, options);
        }
        OnnxModelFile.Save(result.Model, job.OutputPath);
        foreach (var line in reader.Unreadable) job.Output.WriteLine("unreadable, skipped: " + line);
        PrintSummary(job.Output, result, clock.Elapsed);

        if (parse.GetValue(debug))
        {
            var report = QuantizationDebugger.Compare(model, result.Model, reader);
            var jsonPath = SqnrReportJson.PathFor(job.OutputPath);
            SqnrReportJson.Write(report, job.ModelPath, job.OutputPath, reader.ImagesRead, jsonPath);
            job.Output.WriteLine($"SQNR per tensor, worst first ({reader.ImagesRead} calibration images; all {report.Activations.Count} in {jsonPath}):");
            job.Output.WriteLine(report.ToTable(top: 20));
        }

        // By name and fingerprint (image SHA-256s and labels), never by a folder path of this machine.
        var calibrationSet = DataSetRecord.Of(parse.GetValue(calibration.Labels)!.Name, images.Items.Select(i => (i.ImagePath, (IReadOnlyList<float>)i.Targets)).ToArray());
        var description = string.Create(CultureInfo.InvariantCulture,
            $"{reader.ImagesRead} images from {calibrationSet.Name} (fingerprint {calibrationSet.Fingerprint}); {options.Scheme}, {Describe(options.Calibration)}, {(options.PerChannel ? "per-channel" : "per-tensor")} weights");
        if (options.ExcludedOpTypes.Count > 0) description += $"; float op types: {string.Join(", ", options.ExcludedOpTypes)}";
        if (options.ExcludedNodeNames.Count > 0) description += $"; float nodes: {string.Join(", ", options.ExcludedNodeNames)}";
        if (withFallback) description += keptFloat.Count == 0 ? "; fallback: none needed" : $"; fallback kept in float: {string.Join(", ", keptFloat)}";
        return new QuantizeOutcome(description, exitCode, runsOn.ManifestRecord(options.Scheme));
    }

    private (QuantizationOptions Options, QuantizationTarget Target) BuildOptions(QuantizeJob job)
    {
        var parse = job.Parse;
        var targetName = parse.GetValue(target)!;
        if (!QuantizationTargets.ByName.TryGetValue(targetName, out var t))
            throw new ArgumentException($"--target '{targetName}' is not known; use {string.Join(", ", QuantizationTargets.ByName.Keys)}.");
        var schemeName = parse.GetValue(scheme);
        var s = t.DefaultScheme();
        if (schemeName is not null && !Schemes.TryGetValue(schemeName, out s))
            throw new ArgumentException($"--scheme '{schemeName}' is not known; use {string.Join(" or ", Schemes.Keys)}.");
        if (t.Incompatibility(s) is { } problem) throw new ArgumentException(problem + ".");
        var methodName = parse.GetValue(method)!;
        if (!Methods.TryGetValue(methodName, out var m))
            throw new ArgumentException($"--calibration '{methodName}' is not known; use {string.Join(", ", Methods.Keys)}.");
        var p = parse.GetValue(percentile);
        if (!(p > 50 && p <= 100)) throw new ArgumentException($"--percentile must be in (50, 100], e.g. 99.999 (got {p.ToString(CultureInfo.InvariantCulture)}).");
        if (parse.GetResult(percentile) is { Implicit: false } && m != CalibrationMethod.Percentile)
            throw new ArgumentException("--percentile applies to --calibration percentile only.");
        return (new QuantizationOptions
        {
            Scheme = s,
            Calibration = new CalibrationOptions { Method = m, Percentile = p },
            ExcludedOpTypes = job.ExcludedOpTypes,
            ExcludedNodeNames = job.ExcludedNodes,
        }.Validate(), t);
    }

    private FallbackResult RunFallback(QuantizeJob job, ModelProto model, ICalibrationDataReader reader, QuantizationOptions options,
        Core.Preprocessing.PreprocessingSpec spec, Imaging.Datasets.PreprocessedCache imageCache)
    {
        var parse = job.Parse;
        var gate = thresholds.Resolve(parse, ModelPrecision.Int8);
        var maxFloat = parse.GetValue(maxFloatNodes);
        if (maxFloat < 0) throw new ArgumentException($"--max-float-nodes must be 0 or more (got {maxFloat}).");
        var evaluation = DatasetTensors.LoadEvaluationSet(gateData.Load(parse, job.Output), spec, imageCache,
            parse.GetValue(gateData.Labels)!.Name, job.Output);
        // Each round only needs the decision: one latency run; the bootstrap stays, the decision needs its interval.
        var gateOptions = new QualityGateOptions
        {
            Precision = ModelPrecision.Int8, Thresholds = gate, LatencyRuns = 1, LatencyWarmupRuns = 0,
        };
        var round = 0;
        var scratch = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(job.OutputPath))!, $".{Path.GetFileNameWithoutExtension(job.OutputPath)}.fallback-{Environment.ProcessId}.onnx");
        bool Gate(ModelProto candidate)
        {
            OnnxModelFile.Save(candidate, scratch);
            try
            {
                var r = QualityGate.Run(job.ModelPath, scratch, evaluation, gateOptions).Report;
                job.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"fallback round {round++}: mean AUC drop {-r.MeanAucDifference:F4}, worst class drop {r.WorstClassAucDrop:F4} ({r.WorstClass}): {(r.Passed ? "passes" : "fails")} the gate"));
                return r.Passed;
            }
            finally
            {
                File.Delete(scratch);
            }
        }
        var outcome = AccuracyAwareFallback.Run(model, reader, options, Gate, maxFloat);
        foreach (var step in outcome.Steps.Where(s => s.WorstTensor is not null))
            job.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fallback: worst Q/DQ at '{step.WorstTensor}' ({step.WorstSqnr:F1} dB) -> its layer kept in float"));
        job.Output.WriteLine(outcome.KeptInFloat.Count == 0
            ? "fallback: the fully quantized model passes the gate; no layer kept in float"
            : $"fallback: kept in float: {string.Join(", ", outcome.KeptInFloat)}");
        if (!outcome.Passed)
            job.Error.WriteLine($"mlrfnet quantize: the gate still fails with {outcome.KeptInFloat.Count} layer(s) in float (--max-float-nodes {maxFloat}); the last attempt is written but not accepted.");
        return outcome;
    }

    private static void PrintSummary(TextWriter output, QuantizationResult result, TimeSpan elapsed)
    {
        var ops = result.Model.Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"int8: {result.QuantizedNodes.Count} nodes quantized, {result.FloatNodes.Count} left float, {result.FusedNodes.Count} Relu/Clip fused; " +
            $"{ops.GetValueOrDefault("QuantizeLinear")} QuantizeLinear, {ops.GetValueOrDefault("DequantizeLinear")} DequantizeLinear; " +
            $"{result.CalibrationBatches} calibration batches; {elapsed.TotalSeconds:F1} s"));
    }

    private static string Describe(CalibrationOptions c) => c.Method switch
    {
        CalibrationMethod.Percentile => string.Create(CultureInfo.InvariantCulture, $"Percentile {c.Percentile} calibration"),
        _ => $"{c.Method} calibration",
    };
}

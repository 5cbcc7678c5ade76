using System.Diagnostics;
using System.Globalization;
using MLRFNet.Core.Manifest;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Imaging.Datasets;
using MLRFNet.Onnx.Qa;
using MLRFNet.Onnx.Quantization.Calibration;
using MLRFNet.Onnx.Quantization.Proto;
using Onnx;

namespace MLRFNet.Onnx.Quantization.Jobs;

/// <summary>
/// INT8: static QDQ quantization (<see cref="QdqQuantizer"/>) calibrated on labelled images fed through the model's
/// own preprocessing; <see cref="Int8JobOptions.Debug"/> ranks the activations by SQNR (<see cref="QuantizationDebugger"/>);
/// the fallback keeps the worst layers in float until the accuracy gate passes (<see cref="AccuracyAwareFallback"/>),
/// each round judged by <see cref="QualityGate"/> through the box's own scorer on the candidate held in memory.
/// </summary>
internal static class Int8Step
{
    public static PrecisionOutcome Run(PrecisionStep job, Int8JobOptions o)
    {
        var scheme = o.Scheme ?? o.Target.DefaultScheme();
        if (o.Target.Incompatibility(scheme) is { } problem) throw new ArgumentException(problem + ".");
        if (o.MaxCalibrationImages < 1) throw new ArgumentException($"--max-calibration-images must be at least 1 (got {o.MaxCalibrationImages}).");
        var options = new QuantizationOptions
        {
            Scheme = scheme, Calibration = o.Ranges, ExcludedOpTypes = job.ExcludedOpTypes, ExcludedNodeNames = job.ExcludedNodes,
        }.Validate();
        var gateThresholds = o.Fallback?.Thresholds.Resolve(ModelPrecision.Int8);
        if (o.Fallback is { MaxFloatNodes: < 0 } f) throw new ArgumentException($"--max-float-nodes must be 0 or more (got {f.MaxFloatNodes}).");

        var spec = job.Reference.Manifest.Preprocessing;
        var model = OnnxModelFile.Load(job.Reference.ModelPath);
        OnnxModelFile.NameUnnamedNodes(model.Graph);
        QdqQuantizer.PlanOnly(model, options); // refuses unknown excluded node names and unsupported graphs before any image is read
        job.Info("int8 scheme: " + o.Target.Explain(options.Scheme, o.Scheme is not null));
        var images = DatasetTensors.EvenlySpaced(o.Calibration, o.MaxCalibrationImages);
        var imageCache = DatasetTensors.Cache(spec, o.CacheFolder);
        var reader = new DatasetCalibrationReader(images, spec, imageCache, DatasetTensors.ImageInputName(model), o.CalibrationBatchSize);
        job.Info($"calibrating on {images.Count} of {o.Calibration.Count} images ({o.CalibrationName}), batches of {o.CalibrationBatchSize}, " +
                 $"{options.Scheme}, {Describe(options.Calibration)}");

        var clock = Stopwatch.StartNew();
        QuantizationResult result;
        IReadOnlyList<string> keptFloat = [];
        var accepted = true;
        QualityGateReport? lastReport = null;
        if (o.Fallback is { } fallback)
        {
            var outcome = Fallback.Run(job, model, reader, options, spec, imageCache, fallback, gateThresholds!, r => lastReport = r);
            (result, keptFloat, accepted) = (outcome.Result, outcome.KeptInFloat, outcome.Passed);
        }
        else
        {
            result = QdqQuantizer.Quantize(model, reader, options);
        }
        OnnxModelFile.Save(result.Model, job.OutputPath);
        foreach (var line in reader.Unreadable) job.Info("unreadable, skipped: " + line);
        job.Info(Summary(result, clock.Elapsed));

        string? jsonPath = null;
        if (o.Debug)
        {
            var report = QuantizationDebugger.Compare(model, result.Model, reader);
            jsonPath = SqnrReportJson.PathFor(job.OutputPath);
            SqnrReportJson.Write(report, job.Reference.ModelPath, job.OutputPath, reader.ImagesRead, jsonPath);
            job.Info($"SQNR per tensor, worst first ({reader.ImagesRead} calibration images; all {report.Activations.Count} in {jsonPath}):");
            job.Info(report.ToTable(top: 20));
        }

        // By name and fingerprint (image SHA-256s and labels), never by a folder path of this machine.
        var calibrationSet = DataSetRecord.Of(o.CalibrationName, images.Items.Select(i => (i.ImagePath, (IReadOnlyList<float>)i.Targets)).ToArray());
        var description = string.Create(CultureInfo.InvariantCulture,
            $"{reader.ImagesRead} images from {calibrationSet.Name} (fingerprint {calibrationSet.Fingerprint}); {options.Scheme}, {Describe(options.Calibration)}, {(options.PerChannel ? "per-channel" : "per-tensor")} weights");
        if (options.ExcludedOpTypes.Count > 0) description += $"; float op types: {string.Join(", ", options.ExcludedOpTypes)}";
        if (options.ExcludedNodeNames.Count > 0) description += $"; float nodes: {string.Join(", ", options.ExcludedNodeNames)}";
        if (o.Fallback is not null) description += keptFloat.Count == 0 ? "; fallback: none needed" : $"; fallback kept in float: {string.Join(", ", keptFloat)}";
        return new PrecisionOutcome(description, o.Target.ManifestRecord(options.Scheme), accepted, keptFloat, jsonPath, lastReport);
    }

    private static string Summary(QuantizationResult result, TimeSpan elapsed)
    {
        var ops = result.Model.Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        return string.Create(CultureInfo.InvariantCulture,
            $"int8: {result.QuantizedNodes.Count} nodes quantized, {result.FloatNodes.Count} left float, {result.FusedNodes.Count} Relu/Clip fused; " +
            $"{ops.GetValueOrDefault("QuantizeLinear")} QuantizeLinear, {ops.GetValueOrDefault("DequantizeLinear")} DequantizeLinear; " +
            $"{result.CalibrationBatches} calibration batches; {elapsed.TotalSeconds:F1} s");
    }

    internal static string Describe(CalibrationOptions c) => c.Method switch
    {
        CalibrationMethod.Percentile => string.Create(CultureInfo.InvariantCulture, $"Percentile {c.Percentile} calibration"),
        _ => $"{c.Method} calibration",
    };
}

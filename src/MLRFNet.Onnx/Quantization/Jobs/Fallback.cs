using System.Globalization;
using Google.Protobuf;
using MLRFNet.Core.Manifest;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Imaging.Datasets;
using MLRFNet.Onnx.Qa;
using MLRFNet.Onnx.Quantization.Calibration;
using Onnx;

namespace MLRFNet.Onnx.Quantization.Jobs;

/// <summary>
/// The accuracy-aware fallback of <see cref="Int8Step"/>: <see cref="AccuracyAwareFallback"/> with
/// <see cref="QualityGate"/> as its judge. Each candidate is judged in memory, with the manifest the job would write
/// for it, through the box's scorer: no scratch file, and the gate sees exactly what a clinic box would load.
/// </summary>
internal static class Fallback
{
    public static FallbackResult Run(PrecisionStep job, ModelProto model, ICalibrationDataReader reader, QuantizationOptions options,
        PreprocessingSpec spec, PreprocessedCache imageCache, FallbackJobOptions fallback, GateThresholds thresholds, Action<QualityGateReport> last)
    {
        var evaluation = DatasetTensors.LoadEvaluationSet(fallback.GateImages, spec, imageCache, fallback.GateImagesName, job.Progress);
        // Each round only needs the decision: one latency run; the bootstrap stays, the decision needs its interval.
        var gateOptions = new QualityGateOptions
        {
            Precision = ModelPrecision.Int8, Thresholds = thresholds, LatencyRuns = 1, LatencyWarmupRuns = 0,
        };
        var reference = job.Reference;
        var round = 0;
        bool Gate(ModelProto candidate)
        {
            var bytes = candidate.ToByteArray();
            var sha = Sha256ModelHasher.Instance.Sha256(bytes);
            var manifest = reference.Manifest.Derive(reference.Sha256, sha, ModelPrecision.Int8, "accuracy-aware fallback candidate");
            var file = new VerifiedModelFile(job.OutputPath, ModelManifest.ManifestPathFor(job.OutputPath), bytes, manifest, sha);
            var r = QualityGate.Run(reference, file, evaluation, gateOptions).Report;
            last(r);
            job.Progress?.Report(new FallbackRoundEvent(round, r, string.Create(CultureInfo.InvariantCulture,
                $"fallback round {round}: mean AUC drop {-r.MeanAucDifference:F4}, worst class drop {r.WorstClassAucDrop:F4} ({r.WorstClass}): {(r.Passed ? "passes" : "fails")} the gate")));
            round++;
            return r.Passed;
        }
        var outcome = AccuracyAwareFallback.Run(model, reader, options, Gate, fallback.MaxFloatNodes);
        foreach (var step in outcome.Steps.Where(s => s.WorstTensor is not null))
            job.Progress?.Report(new FallbackStepEvent(step.WorstTensor!, step.WorstSqnr ?? double.NaN, string.Create(CultureInfo.InvariantCulture,
                $"fallback: worst Q/DQ at '{step.WorstTensor}' ({step.WorstSqnr:F1} dB) -> its layer kept in float")));
        job.Info(outcome.KeptInFloat.Count == 0
            ? "fallback: the fully quantized model passes the gate; no layer kept in float"
            : $"fallback: kept in float: {string.Join(", ", outcome.KeptInFloat)}");
        if (!outcome.Passed)
            job.Progress?.Report(new JobEvent(JobEventLevel.Error,
                $"the gate still fails with {outcome.KeptInFloat.Count} layer(s) in float (--max-float-nodes {fallback.MaxFloatNodes}); the last attempt is written but not accepted."));
        return outcome;
    }
}

using MLRFNet.Core.Manifest;
using MLRFNet.Onnx.Quantization.Proto;

namespace MLRFNet.Onnx.Quantization.Jobs;

/// <summary>
/// Converts an exported FP32 model to FP16 (<see cref="Float16Step"/>) or INT8 (<see cref="Int8Step"/>, with the
/// optional accuracy-aware fallback) and writes its manifest beside it: the FP32 manifest derived with the new
/// precision and SHA-256, the FP32 SHA-256 as reference, the calibration described and no QA result yet
/// (<see cref="Qa.QaJob"/> adds it). This is the one place a quantized model's manifest is made. Nothing is
/// overwritten: every output is checked before any work.
/// </summary>
public sealed class QuantizeJob(QuantizeJobOptions options, IProgress<JobEvent>? progress = null)
{
    public QuantizeJobOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    public QuantizeJobResult Run()
    {
        var o = Options;
        var modelPath = Path.GetFullPath(o.ModelPath);
        var target = Path.GetFullPath(o.OutputPath);
        if (!target.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--out '{target}' should end in .onnx (its manifest is written beside it as <name>.manifest.json).");
        if (o.Precision is not (ModelPrecision.Fp16 or ModelPrecision.Int8))
            throw new ArgumentException($"Quantize to Fp16 or Int8 (got {o.Precision}).");
        if (o.Precision == ModelPrecision.Fp16 && o.Int8 is not null)
            throw new ArgumentException("INT8 settings were given for an FP16 conversion; leave them out or quantize to INT8.");
        var verified = ManifestPolicy.IntegrityOnly.Load(modelPath);
        var (reference, referenceSha) = (verified.Manifest, verified.Sha256);
        if (reference.Precision != ModelPrecision.Fp32)
            throw new InvalidDataException(
                $"--model {modelPath} is {reference.Precision.ToString().ToUpperInvariant()} according to its manifest; quantize the FP32 model exported by `mlrfnet export`.");

        var excludedNodes = o.ExcludedNodes.ToArray();
        if (o.FloatInputConvolution)
        {
            var stems = SensitiveLayers.InputConvolutions(OnnxModelFile.Load(modelPath));
            if (stems.Count == 0)
                throw new ArgumentException($"--float-input-conv: no Conv node of {modelPath} reads a model input; name the layers to keep with --exclude-node instead.");
            progress?.Report(JobEvent.Info($"kept in float (--float-input-conv): {string.Join(", ", stems)}"));
            excludedNodes = [.. excludedNodes.Union(stems, StringComparer.Ordinal)];
        }
        var manifestPath = ModelManifest.ManifestPathFor(target);
        string[] outputs = [target, manifestPath, .. o.Int8 is { Debug: true } ? [SqnrReportJson.PathFor(target)] : Array.Empty<string>()];
        foreach (var file in outputs)
            if (File.Exists(file)) throw new IOException($"{file} already exists; choose another --out (nothing is overwritten).");

        var step = new PrecisionStep(verified, target, o.ExcludedOpTypes.ToArray(), excludedNodes, progress);
        var outcome = o.Precision == ModelPrecision.Fp16
            ? Float16Step.Run(step)
            : Int8Step.Run(step, o.Int8 ?? throw new ArgumentException("--precision int8 needs calibration images: give --calibration-labels CSV and --calibration-images DIR (a few hundred images of the training data)."));
        var manifest = reference.Derive(referenceSha, ModelManifest.Sha256OfFile(target), o.Precision, outcome.CalibrationData)
            with { QuantizationScheme = outcome.QuantizationScheme };
        manifest.Save(manifestPath);
        return new QuantizeJobResult(target, manifestPath, manifest, referenceSha, new FileInfo(modelPath).Length, new FileInfo(target).Length,
            outcome.Accepted, outcome.KeptInFloat ?? [], outcome.SqnrReportPath, outcome.LastGateReport);
    }
}

/// <summary>What a precision step works on: the verified FP32 model, the output path (checked free) and the float lists.</summary>
internal sealed record PrecisionStep(VerifiedModelFile Reference, string OutputPath, string[] ExcludedOpTypes, string[] ExcludedNodes, IProgress<JobEvent>? Progress)
{
    public void Info(string message) => Progress?.Report(JobEvent.Info(message));
}

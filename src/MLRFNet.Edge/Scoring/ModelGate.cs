using MLRFNet.Core.Manifest;

namespace MLRFNet.Edge.Scoring;

/// <summary>Thrown at start when the model must not be used; the message says why and what to do.</summary>
public sealed class ModelRefusedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The model-safety check before anything is scored: the ONNX file must be the one its manifest describes
/// (SHA-256), and a model whose manifest records a failed quantization QA gate, or a quantized model with no QA
/// record at all, is refused. A clinic box must never run a model nobody signed off.
/// </summary>
internal static class ModelGate
{
    public static ModelManifest Check(string modelPath)
    {
        var manifestPath = ModelManifest.ManifestPathFor(modelPath);
        if (!File.Exists(modelPath))
            throw new ModelRefusedException($"Model '{Path.GetFullPath(modelPath)}' does not exist; install it or set Inference:ModelPath.");
        if (!File.Exists(manifestPath))
            throw new ModelRefusedException($"Model manifest '{manifestPath}' is missing; copy the .manifest.json released with the model beside it.");
        ModelManifest manifest;
        try
        {
            manifest = ModelManifest.Load(manifestPath);
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or IOException)
        {
            throw new ModelRefusedException($"Model manifest '{manifestPath}' is unreadable: {e.Message} Reinstall the model and its manifest from the release.", e);
        }
        var actual = ModelManifest.Sha256OfFile(modelPath);
        if (!string.Equals(actual, manifest.OnnxSha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelRefusedException(
                $"Model '{Path.GetFileName(modelPath)}' has SHA-256 {actual} but its manifest says {manifest.OnnxSha256}: " +
                "the file was changed, corrupted or paired with the wrong manifest. Reinstall the model and its manifest together from the release.");
        if (manifest.Qa is { Passed: false } qa)
            throw new ModelRefusedException(
                $"Model '{manifest.ModelName}' {manifest.ModelVersion} failed its QA gate (mean AUC drop {qa.MeanAucDrop:F4}, limit {qa.MaxMeanAucDrop:F4}; " +
                $"worst class {qa.WorstClass ?? "?"} drop {qa.WorstClassAucDrop:F4}, limit {qa.MaxClassAucDrop:F4}). Deploy a model whose manifest records a passed `mlrfnet qa`.");
        if (manifest.Precision != ModelPrecision.Fp32 && manifest.Qa is null)
            throw new ModelRefusedException(
                $"Model '{manifest.ModelName}' is {manifest.Precision} but its manifest has no QA result; run `mlrfnet qa` against the FP32 reference and deploy the manifest it writes.");
        return manifest;
    }
}

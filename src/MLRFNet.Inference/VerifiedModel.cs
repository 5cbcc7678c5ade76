using System.Security.Cryptography;
using MLRFNet.Core.Manifest;
using Microsoft.Extensions.Logging;

namespace MLRFNet.Inference;

/// <summary>
/// An ONNX file read into memory together with its manifest, after the integrity and QA checks. The session is
/// created from <see cref="Bytes"/>, the very bytes that were hashed, so a file swapped between the check and the
/// load cannot slip through.
/// </summary>
internal sealed record VerifiedModel(string ModelPath, string ManifestPath, byte[] Bytes, ModelManifest Manifest, string Sha256)
{
    public static VerifiedModel Load(string modelPath, QaRequirement qaRequirement, ILogger logger)
    {
        var fullPath = Path.GetFullPath(modelPath);
        if (!File.Exists(fullPath))
            throw new FileNotFoundException($"Model file '{fullPath}' does not exist.", fullPath);
        var manifestPath = ModelManifest.ManifestPathFor(fullPath);
        if (!File.Exists(manifestPath))
            throw new FileNotFoundException(
                $"Model '{fullPath}' has no manifest: expected '{manifestPath}' beside it. `mlrfnet export` and " +
                "`mlrfnet quantize` write it; copy it together with the .onnx file.", manifestPath);

        ModelManifest manifest;
        try
        {
            manifest = ModelManifest.Load(manifestPath);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"Manifest '{manifestPath}' of model '{fullPath}' is unreadable: {e.Message}", e);
        }

        var bytes = File.ReadAllBytes(fullPath);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(sha, manifest.OnnxSha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelIntegrityException(fullPath, manifestPath, manifest.OnnxSha256.ToLowerInvariant(), sha);

        CheckQa(fullPath, manifestPath, manifest, qaRequirement, logger);
        return new VerifiedModel(fullPath, manifestPath, bytes, manifest, sha);
    }

    private static void CheckQa(string modelPath, string manifestPath, ModelManifest manifest, QaRequirement requirement, ILogger logger)
    {
        // FP32 models are the reference the QA gate compares against; only reduced-precision candidates are gated.
        if (manifest.Precision == ModelPrecision.Fp32) return;
        var passed = manifest.Qa is { Passed: true };
        if (requirement == QaRequirement.None)
        {
            if (!passed) Log.ReducedPrecisionWithoutQa(logger, modelPath, manifest.Precision.ToString());
            return;
        }

        if (manifest.Qa is not { } qa)
            throw new ModelQaPolicyException(modelPath,
                $"Model '{modelPath}' is {manifest.Precision} but its manifest '{manifestPath}' has no QA result, and " +
                "QaRequirement is PassedForReducedPrecision. Run `mlrfnet qa` against its FP32 reference, or deploy the FP32 model.");
        if (!qa.Passed)
            throw new ModelQaPolicyException(modelPath,
                $"Model '{modelPath}' ({manifest.Precision}) failed QA on {qa.EvaluationData}: mean AUC drop {qa.MeanAucDrop:F4} " +
                $"(limit {qa.MaxMeanAucDrop:F4}), worst class {qa.WorstClass ?? "?"} drop {qa.WorstClassAucDrop:F4} " +
                $"(limit {qa.MaxClassAucDrop:F4}). Deploy the FP32 model or re-quantize with more calibration data.");
        if (manifest.ReferenceModelSha256 is { } reference
            && !string.Equals(reference, qa.ReferenceSha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelQaPolicyException(modelPath,
                $"Model '{modelPath}': QA was run against reference {qa.ReferenceSha256}, but the manifest says the model " +
                $"was made from {reference}. Re-run `mlrfnet qa` against the FP32 model it was quantized from.");
    }
}

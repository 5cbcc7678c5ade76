using System.Text.Json;
using MLRFNet.Core.Manifest;

namespace MLRFNet.Cli.Quantizing;

/// <summary>
/// Manifests of the models <c>quantize</c> reads and writes: the FP32 model's manifest must describe that very file;
/// the FP16/INT8 model gets a copy of it with its own precision and SHA-256, the FP32 file's SHA-256 as reference,
/// how it was calibrated, and no QA result (it has not been checked yet; <c>mlrfnet qa</c> records one).
/// </summary>
internal static class QuantizedManifest
{
    /// <summary>The manifest beside <paramref name="onnxPath"/>, checked against the file's SHA-256.</summary>
    /// <param name="option">The option that named the file (for messages), e.g. "--model".</param>
    public static (ModelManifest Manifest, string Sha256) LoadFor(string onnxPath, string option)
    {
        if (!File.Exists(onnxPath)) throw new FileNotFoundException($"{option} file not found: {onnxPath}", onnxPath);
        var path = ModelManifest.ManifestPathFor(onnxPath);
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"{option} {onnxPath} has no manifest ({path}); models made by `mlrfnet export` and `mlrfnet quantize` have one beside the .onnx.", path);
        ModelManifest manifest;
        try { manifest = ModelManifest.Load(path); }
        catch (JsonException e) { throw new InvalidDataException($"{path} is not a valid model manifest: {e.Message}", e); }
        var sha = ModelManifest.Sha256OfFile(onnxPath);
        if (!string.Equals(manifest.OnnxSha256, sha, StringComparison.Ordinal))
            throw new InvalidDataException(
                $"{path} describes a file with SHA-256 {manifest.OnnxSha256}, but {onnxPath} has {sha}; the manifest belongs to another version of the model.");
        return (manifest, sha);
    }

    /// <summary>The manifest of the model just written to <paramref name="outputPath"/>.</summary>
    public static ModelManifest Derive(ModelManifest reference, string referenceSha256, string outputPath, ModelPrecision precision, string? calibrationData) =>
        (reference with
        {
            Precision = precision,
            OnnxSha256 = ModelManifest.Sha256OfFile(outputPath),
            ReferenceModelSha256 = referenceSha256,
            CalibrationData = calibrationData,
            Qa = null,
            CreatedUtc = DateTimeOffset.UtcNow,
        }).Validate();
}

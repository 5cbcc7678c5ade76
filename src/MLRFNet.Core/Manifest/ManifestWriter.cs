namespace MLRFNet.Core.Manifest;

/// <summary>
/// The one way tools change a manifest on disk (QA verdict, thresholds, export): read it, check it still describes
/// <paramref name="expectedSha256"/>, apply the change, sign it when a key is given (an unsigned change drops any old
/// signature, which no longer holds), and save atomically. The ONNX file is never touched.
/// </summary>
public static class ManifestWriter
{
    public static ModelManifest Update(string manifestPath, string expectedSha256, Func<ModelManifest, ModelManifest> change, SigningKey? key)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!File.Exists(manifestPath))
            throw new FileNotFoundException($"Manifest '{manifestPath}' does not exist; `mlrfnet export` and `mlrfnet quantize` write one beside the .onnx.", manifestPath);
        var manifest = ModelManifest.Load(manifestPath);
        if (!string.Equals(manifest.OnnxSha256, expectedSha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException(
                $"'{manifestPath}' describes a file with SHA-256 {manifest.OnnxSha256}, but the model checked has {expectedSha256}; the manifest belongs to another version of the model.");
        return Save(change(manifest), manifestPath, key);
    }

    /// <summary>Validates, signs when <paramref name="key"/> is given (else removes a stale signature) and saves.</summary>
    public static ModelManifest Save(ModelManifest manifest, string manifestPath, SigningKey? key)
    {
        var updated = manifest.Validate() with { Signature = null };
        if (key is not null) updated = key.Sign(updated);
        updated.Save(manifestPath);
        return updated;
    }
}

using System.Globalization;
using System.Text.Json;

namespace MLRFNet.Core.Manifest;

/// <summary>
/// The one home of the rules a model and its manifest must meet before anything uses them: the manifest is readable
/// and consistent; signed by a trusted, unrevoked key and unaltered since (when <see cref="TrustedKeys"/> is set);
/// the ONNX file is the one it describes (SHA-256, computed once); and, with <see cref="RequireQaVerdict"/>, a
/// reduced-precision model carries a passed QA verdict about this very file against the reference it was made from.
/// The edge service and the CLI both load models through <see cref="Load"/>.
/// </summary>
public sealed record ManifestPolicy
{
    /// <summary>Keys a signature must come from; null checks no signature (tools on a workstation).</summary>
    public TrustedKeys? TrustedKeys { get; init; }

    /// <summary>FP16/INT8 models need a passed QA verdict (the edge service); FP32 models are the reference and need none.</summary>
    public bool RequireQaVerdict { get; init; }

    public IModelHasher Hasher { get; init; } = Sha256ModelHasher.Instance;

    /// <summary>Only readability and the SHA-256 (CLI tools comparing, quantizing, evaluating).</summary>
    public static ManifestPolicy IntegrityOnly { get; } = new();

    /// <summary>Reads the model and its manifest, applies every rule once, hashes the file once.</summary>
    /// <exception cref="ModelRefusedException">A rule is broken; <see cref="ModelRefusedException.Reason"/> says which.</exception>
    public VerifiedModelFile Load(string modelPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        var fullPath = Path.GetFullPath(modelPath);
        var manifestPath = ModelManifest.ManifestPathFor(fullPath);
        if (!File.Exists(fullPath))
            throw new ModelRefusedException(RefusalReason.Missing, fullPath, $"Model '{fullPath}' does not exist; install it or set Inference:ModelPath.");
        if (!File.Exists(manifestPath))
            throw new ModelRefusedException(RefusalReason.Missing, fullPath,
                $"Model '{fullPath}' has no manifest: expected '{manifestPath}' beside it. `mlrfnet export` and `mlrfnet quantize` write it; copy it together with the .onnx file.");
        ModelManifest manifest;
        try
        {
            manifest = ModelManifest.Load(manifestPath);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException)
        {
            throw new ModelRefusedException(RefusalReason.UnreadableManifest, fullPath,
                $"Manifest '{manifestPath}' of model '{fullPath}' is unreadable: {e.Message} Reinstall the model and its manifest from the release.", e);
        }
        CheckSignature(manifest, fullPath, manifestPath);
        var bytes = File.ReadAllBytes(fullPath);
        var sha = Hasher.Sha256(bytes);
        if (!string.Equals(sha, manifest.OnnxSha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelRefusedException(RefusalReason.IntegrityMismatch, fullPath,
                $"Model file '{fullPath}' has SHA-256 {sha}, but its manifest '{manifestPath}' records {manifest.OnnxSha256.ToLowerInvariant()}: " +
                "the file was changed, corrupted or paired with the wrong manifest. Reinstall the .onnx and its .manifest.json together from the release.");
        if (RequireQaVerdict) CheckQa(manifest, fullPath, manifestPath);
        return new VerifiedModelFile(fullPath, manifestPath, bytes, manifest, sha);
    }

    private void CheckSignature(ModelManifest manifest, string modelPath, string manifestPath)
    {
        if (TrustedKeys is not { } trusted) return;
        var keyId = manifest.Signature?.KeyId ?? "";
        var (reason, message) = trusted.Check(manifest) switch
        {
            SignatureStatus.Valid => ((RefusalReason?)null, ""),
            SignatureStatus.Unsigned => (RefusalReason.Unsigned,
                $"Manifest '{manifestPath}' is unsigned. Sign it with `mlrfnet qa --sign-key` (FP16/INT8), `mlrfnet export --sign-key` or `mlrfnet evaluate --write-thresholds --sign-key` (FP32)."),
            SignatureStatus.UnknownKey => (RefusalReason.UnknownKey,
                $"Manifest '{manifestPath}' is signed by key {keyId}, which is not trusted here (trusted keys in '{trusted.Folder}': {Describe(trusted.KeyIds)}). Install that key's public half there, or deploy a model signed by a trusted key."),
            SignatureStatus.RevokedKey => (RefusalReason.RevokedKey,
                $"Manifest '{manifestPath}' is signed by key {keyId}, which is revoked ({TrustedKeys.RevokedListName} in '{trusted.Folder}'). Deploy the model re-signed with a current key."),
            _ => (RefusalReason.Altered,
                $"Manifest '{manifestPath}' was altered after it was signed by key {keyId}: its signature does not match its content (a verdict, threshold or any other field was edited). Reinstall the manifest from the release."),
        };
        if (reason is { } r) throw new ModelRefusedException(r, modelPath, message);
    }

    private static void CheckQa(ModelManifest manifest, string modelPath, string manifestPath)
    {
        // FP32 models are the reference the QA gate compares against; only reduced-precision candidates are gated.
        if (manifest.Precision == ModelPrecision.Fp32) return;
        var name = $"Model '{modelPath}' ({manifest.Precision})";
        if (manifest.Qa is not { } qa)
            throw new ModelRefusedException(RefusalReason.QaMissing, modelPath,
                $"{name} has no QA verdict in '{manifestPath}'. Run `mlrfnet qa --sign-key` against its FP32 reference, or deploy the FP32 model.");
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"mean AUC drop {qa.MeanAucDrop:F4} (95% CI upper {(qa.MeanAucDropUpper is { } u ? u.ToString("F4", CultureInfo.InvariantCulture) : "n/a")}, limit {qa.MaxMeanAucDrop:F4}); worst class {qa.WorstClass ?? "?"} drop {qa.WorstClassAucDrop:F4}");
        var why = qa.Reasons is { Length: > 0 } reasons ? " " + string.Join(" ", reasons) : "";
        switch (qa.EffectiveVerdict)
        {
            case QaVerdict.Failed:
                throw new ModelRefusedException(RefusalReason.QaFailed, modelPath,
                    $"{name} failed its QA gate on {qa.EvaluationData}: {figures}.{why} Deploy the FP32 model or re-quantize.");
            case QaVerdict.Inconclusive:
                throw new ModelRefusedException(RefusalReason.QaInconclusive, modelPath,
                    $"{name} has an inconclusive QA verdict on {qa.EvaluationData}: the evidence could not show it keeps the FP32 model's accuracy.{why} Re-run `mlrfnet qa` on a larger labelled set, or deploy the FP32 model.");
        }
        if (manifest.ReferenceModelSha256 is not { } reference || !string.Equals(reference, qa.ReferenceSha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelRefusedException(RefusalReason.Lineage, modelPath,
                $"{name}: QA was run against reference {qa.ReferenceSha256}, but the manifest says the model was made from {manifest.ReferenceModelSha256 ?? "(not recorded)"}. Re-run `mlrfnet qa` against the FP32 model it was quantized from.");
        if (qa.CandidateSha256 is { } judged && !string.Equals(judged, manifest.OnnxSha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelRefusedException(RefusalReason.Lineage, modelPath,
                $"{name}: the QA verdict is about file {judged}, not this one ({manifest.OnnxSha256}). Re-run `mlrfnet qa` on this file.");
    }

    private static string Describe(IReadOnlyCollection<string> ids) => ids.Count == 0 ? "none" : string.Join(", ", ids);
}

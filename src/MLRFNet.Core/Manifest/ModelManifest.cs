using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLRFNet.Core.Json;
using MLRFNet.Core.Labels;
using MLRFNet.Core.Preprocessing;

namespace MLRFNet.Core.Manifest;

public enum ModelPrecision
{
    Fp32,
    Fp16,
    Int8,
}

/// <summary>
/// <c>&lt;model&gt;.manifest.json</c> beside every ONNX file: what the model is, how to feed it, how to read its
/// output, which file it is (SHA-256), where it came from and whether it passed QA.
/// </summary>
public sealed record ModelManifest
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required string ModelName { get; init; }
    public required string ModelVersion { get; init; }

    /// <summary>Registered variant name (e.g. <c>mlrfnet</c>, <c>mlrfnet-r18</c>).</summary>
    public required string Architecture { get; init; }

    public required ModelPrecision Precision { get; init; }
    public required string LabelSetName { get; init; }
    public required string[] Labels { get; init; }
    public required PreprocessingSpec Preprocessing { get; init; }

    /// <summary>Per-class decision thresholds in label order; null means 0.5 for every class.</summary>
    public float[]? Thresholds { get; init; }

    /// <summary>Lower-case hex SHA-256 of the ONNX file this manifest describes.</summary>
    public required string OnnxSha256 { get; init; }

    public string? SourceCheckpoint { get; init; }
    public string? SourceCheckpointSha256 { get; init; }

    /// <summary>What the model was trained on, by name (never a folder path of the machine that trained it).</summary>
    public string? TrainingData { get; init; }

    /// <summary>INT8 calibration: images and settings, by data-set name (never a folder path).</summary>
    public string? CalibrationData { get; init; }

    /// <summary>For an INT8 model: its scheme and the runtime it was made for, e.g. "U8S8, target cpu" (<c>mlrfnet quantize --target</c>).</summary>
    public string? QuantizationScheme { get; init; }

    /// <summary>The images <see cref="Thresholds"/> were chosen on (<c>mlrfnet evaluate --write-thresholds</c>), or null.</summary>
    public DataSetRecord? ThresholdsChosenOn { get; init; }

    /// <summary>For a quantized model: the FP32 model it was made from.</summary>
    public string? ReferenceModelSha256 { get; init; }

    public QaResult? Qa { get; init; }
    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// ECDSA signature over <see cref="CanonicalManifest.Bytes"/> (every other field), or null when unsigned. The edge
    /// service refuses an unsigned manifest, one signed by an untrusted or revoked key, and one altered after signing.
    /// </summary>
    public ManifestSignature? Signature { get; init; }

    [JsonIgnore]
    public LabelSet LabelSet => new(LabelSetName, Labels);

    /// <summary>The threshold of class <paramref name="index"/> (0.5 when the manifest has none).</summary>
    public float ThresholdOf(int index) => Thresholds is { } t ? t[index] : 0.5f;

    public static string ManifestPathFor(string onnxPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(onnxPath))!,
            Path.GetFileNameWithoutExtension(onnxPath) + ".manifest.json");

    public static string Sha256OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// The manifest of a model made from this one (FP16/INT8 from FP32): the new precision and SHA-256, this model's
    /// SHA-256 as reference, how it was calibrated, and no QA result or signature (<c>mlrfnet qa</c> adds both).
    /// </summary>
    public ModelManifest Derive(string referenceSha256, string derivedSha256, ModelPrecision precision, string? calibrationData) =>
        (this with
        {
            Precision = precision,
            OnnxSha256 = derivedSha256,
            ReferenceModelSha256 = referenceSha256,
            CalibrationData = calibrationData,
            Qa = null,
            Signature = null,
            CreatedUtc = DateTimeOffset.UtcNow,
        }).Validate();

    /// <summary>Checks internal consistency; throws <see cref="InvalidDataException"/> naming the problem.</summary>
    public ModelManifest Validate()
    {
        if (SchemaVersion > CurrentSchemaVersion)
            throw new InvalidDataException($"Manifest schema {SchemaVersion} is newer than this build understands ({CurrentSchemaVersion}); update MLRFNet.Edge.");
        if (Labels.Length == 0) throw new InvalidDataException("Manifest lists no labels.");
        if (Thresholds is { } t && t.Length != Labels.Length)
            throw new InvalidDataException($"Manifest has {t.Length} thresholds for {Labels.Length} labels.");
        if (OnnxSha256.Length != 64) throw new InvalidDataException("Manifest onnxSha256 is not a SHA-256 hex string.");
        try { Preprocessing.Validate(); }
        catch (ArgumentException e) { throw new InvalidDataException("Manifest preprocessing is invalid: " + e.Message, e); }
        return this;
    }

    public string ToJson() => JsonSerializer.Serialize(this, CoreJsonContext.Default.ModelManifest);

    public static ModelManifest FromJson(string json) =>
        (JsonSerializer.Deserialize(json, CoreJsonContext.Default.ModelManifest)
         ?? throw new InvalidDataException("Manifest JSON is empty.")).Validate();

    public static ModelManifest Load(string path) => FromJson(File.ReadAllText(path));

    /// <summary>Writes to a temporary name, flushes and renames, so a crash never leaves half a manifest.</summary>
    public void Save(string path)
    {
        var tmp = path + ".tmp-" + Environment.ProcessId;
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, this, CoreJsonContext.Default.ModelManifest);
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }
}


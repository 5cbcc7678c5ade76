using System.Globalization;
using System.Text;
using System.Text.Json;
using MLRFNet.Core.Labels;
using MLRFNet.Core.Preprocessing;

namespace MLRFNet.Core.Manifest;

/// <summary>
/// What <c>mlrfnet export</c> stores in an ONNX file's <c>metadata_props</c>, so the file alone says how to use it
/// (labels in output order, preprocessing) and where it came from (variant, loss, source checkpoint). Written and read
/// as string pairs: ONNX Runtime exposes them as <c>ModelMetadata.CustomMetadataMap</c>. JSON values are written and
/// parsed without reflection, so readers stay trimming/AOT-safe.
/// </summary>
public sealed record OnnxModelMetadata
{
    /// <summary>Label names in output-column order, a JSON array of strings.</summary>
    public const string LabelsKey = "labels";
    public const string LabelSetKey = "label_set";
    /// <summary><see cref="PreprocessingSpec"/> as JSON (<see cref="PreprocessingSpec.ToJson"/>).</summary>
    public const string PreprocessingKey = "preprocessing";
    /// <summary>Registered variant name, e.g. <c>mlrfnet</c>.</summary>
    public const string VariantKey = "variant";
    /// <summary>The full variant record as JSON (the checkpoint's, so it survives registry changes).</summary>
    public const string VariantConfigKey = "variant_config";
    /// <summary>The loss settings the weights were trained with, as JSON.</summary>
    public const string LossKey = "loss";
    public const string SourceCheckpointSha256Key = "source_checkpoint_sha256";
    /// <summary>Export time, ISO 8601 round-trip format, UTC.</summary>
    public const string ExportedUtcKey = "exported_utc";

    public required LabelSet LabelSet { get; init; }
    public required PreprocessingSpec Preprocessing { get; init; }
    public required string Variant { get; init; }
    public string? VariantConfigJson { get; init; }
    public string? LossJson { get; init; }

    /// <summary>Lower-case hex SHA-256 of the checkpoint file the model was exported from; null for an in-memory model.</summary>
    public string? SourceCheckpointSha256 { get; init; }

    public required DateTimeOffset ExportedUtc { get; init; }

    /// <summary>The metadata as <c>metadata_props</c> pairs (optional fields only when set).</summary>
    public IReadOnlyDictionary<string, string> ToProperties()
    {
        var properties = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [LabelsKey] = LabelsJson(LabelSet.Labels),
            [LabelSetKey] = LabelSet.Name,
            [PreprocessingKey] = Preprocessing.ToJson(),
            [VariantKey] = Variant,
            [ExportedUtcKey] = ExportedUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        };
        if (VariantConfigJson is { } variant) properties[VariantConfigKey] = variant;
        if (LossJson is { } loss) properties[LossKey] = loss;
        if (SourceCheckpointSha256 is { } sha) properties[SourceCheckpointSha256Key] = sha;
        return properties;
    }

    /// <summary>Reads the metadata back; throws <see cref="InvalidDataException"/> naming a missing or malformed entry.</summary>
    public static OnnxModelMetadata FromProperties(IReadOnlyDictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        string Required(string key) => properties.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v)
            ? v
            : throw new InvalidDataException($"The ONNX model has no '{key}' metadata entry; it was not written by `mlrfnet export`. Re-export it.");
        string? Optional(string key) => properties.TryGetValue(key, out var v) ? v : null;

        try
        {
            return new OnnxModelMetadata
            {
                LabelSet = new LabelSet(Required(LabelSetKey), ParseLabels(Required(LabelsKey))),
                Preprocessing = PreprocessingSpec.FromJson(Required(PreprocessingKey)),
                Variant = Required(VariantKey),
                VariantConfigJson = Optional(VariantConfigKey),
                LossJson = Optional(LossKey),
                SourceCheckpointSha256 = Optional(SourceCheckpointSha256Key),
                ExportedUtc = DateTimeOffset.Parse(Required(ExportedUtcKey), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"The ONNX model's MLRFNet metadata is malformed: {e.Message}", e);
        }
    }

    private static string LabelsJson(IReadOnlyList<string> labels)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var label in labels) writer.WriteStringValue(label);
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string[] ParseLabels(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new FormatException($"'{LabelsKey}' must be a JSON array of label names.");
        return document.RootElement.EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new FormatException($"'{LabelsKey}' holds a non-string entry."))
            .ToArray();
    }
}

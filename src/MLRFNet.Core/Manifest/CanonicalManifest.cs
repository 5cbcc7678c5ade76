using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLRFNet.Core.Manifest;

/// <summary>
/// The bytes a manifest signature covers: the whole manifest except its <see cref="ModelManifest.Signature"/>, as
/// compact JSON from a source-generated serializer: properties in declaration order, invariant culture, doubles and
/// floats in their shortest round-trip form, nulls left out. So any edited field (a QA verdict, a threshold, a
/// SHA-256) changes the bytes, and re-reading a manifest reproduces them exactly.
/// </summary>
public static class CanonicalManifest
{
    public static byte[] Bytes(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return JsonSerializer.SerializeToUtf8Bytes(manifest with { Signature = null }, CanonicalJsonContext.Default.ModelManifest);
    }
}

[JsonSourceGenerationOptions(
    WriteIndented = false,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ModelManifest))]
internal sealed partial class CanonicalJsonContext : JsonSerializerContext;

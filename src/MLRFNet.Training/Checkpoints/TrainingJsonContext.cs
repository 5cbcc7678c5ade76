using System.Text.Json.Serialization;

namespace MLRFNet.Training.Checkpoints;

/// <summary>Source-generated JSON for checkpoint configs (same conventions as Core's <c>CoreJsonContext</c>).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(CheckpointConfig))]
public sealed partial class TrainingJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;
using MLRFNet.Edge.Health;

namespace MLRFNet.Edge.Reports;

/// <summary>Source-generated JSON for everything the service writes, so it trims and compiles AOT without warnings.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(StudyReport))]
[JsonSerializable(typeof(QuarantineRecord))]
[JsonSerializable(typeof(HealthSnapshot))]
internal sealed partial class EdgeJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace MLRFNet.Onnx.Qa;

/// <summary>Source-generated JSON for the QA report (report.json beside report.html).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    // With no judged class the mean AUCs are NaN ("not measured"); written as "NaN" rather than failing the report.
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(QualityGateReport))]
public sealed partial class QaJsonContext : JsonSerializerContext;

using MLRFNet.Core.Manifest;
using MLRFNet.Onnx.Qa;

namespace MLRFNet.Onnx.Quantization.Jobs;

/// <summary>What <see cref="QuantizeJob.Run"/> wrote.</summary>
/// <param name="Accepted">False only when the fallback's gate still failed: the last attempt is written, not accepted.</param>
/// <param name="KeptInFloat">Layers the fallback kept in float, in the order it did.</param>
/// <param name="SqnrReportPath">The debug SQNR JSON, when asked for.</param>
/// <param name="LastGateReport">The fallback's last gate decision, when it ran.</param>
public sealed record QuantizeJobResult(
    string OutputPath, string ManifestPath, ModelManifest Manifest, string ReferenceSha256, long ReferenceBytes, long OutputBytes,
    bool Accepted, IReadOnlyList<string> KeptInFloat, string? SqnrReportPath, QualityGateReport? LastGateReport);

/// <summary>What one precision step produced for the manifest.</summary>
internal sealed record PrecisionOutcome(string? CalibrationData, string? QuantizationScheme = null, bool Accepted = true,
    IReadOnlyList<string>? KeptInFloat = null, string? SqnrReportPath = null, QualityGateReport? LastGateReport = null);

namespace MLRFNet.Edge.Reports;

/// <summary>
/// The per-image JSON report, schema <c>mlrfnet.edge.report</c> version 1. Fields are only ever added within a
/// version; renaming or removing one bumps <see cref="CurrentSchemaVersion"/>.
/// </summary>
public sealed record StudyReport
{
    public const string SchemaName = "mlrfnet.edge.report";
    public const int CurrentSchemaVersion = 1;
    public const string DecisionSupportNotice =
        "Decision support only, not a diagnosis. Findings are model outputs that a qualified clinician must review.";

    public string Schema { get; init; } = SchemaName;
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required string ReportId { get; init; }
    public required DateTimeOffset CreatedUtc { get; init; }
    public string Notice { get; init; } = DecisionSupportNotice;
    public required ReportInput Input { get; init; }
    public ReportDicom? Dicom { get; init; }
    public required ReportModel Model { get; init; }

    /// <summary>
    /// Set when the service runs its fallback model because the configured one was refused: why (a field added
    /// within schema version 1). Every report written while degraded carries it.
    /// </summary>
    public string? ModelDegraded { get; init; }
    public required ReportTimings Timings { get; init; }

    /// <summary>Every class in the model's label order.</summary>
    public required IReadOnlyList<ClassScore> Classes { get; init; }

    /// <summary>The flagged classes (probability at or above threshold), highest probability first.</summary>
    public required IReadOnlyList<ClassScore> Findings { get; init; }

    /// <summary>The HTML page written with this report (file name in the reports folder).</summary>
    public string? HtmlReport { get; init; }
}

public sealed record ReportInput(string Name, string Sha256, long Bytes, string Format, int Width, int Height, int BitDepth);

public sealed record ReportDicom(string? PatientId, string? StudyInstanceUid, string? SeriesInstanceUid, string? SopInstanceUid,
    string? Modality, string? BodyPartExamined, string? ViewPosition, string PhotometricInterpretation, string TransferSyntaxUid);

public sealed record ReportModel(string Name, string Version, string Architecture, string Precision, string Sha256,
    string LabelSet, string ExecutionProvider);

/// <summary>Milliseconds; <see cref="InferenceMs"/> is the whole batch's model run (shared by <see cref="BatchSize"/> images).</summary>
public sealed record ReportTimings(double HashMs, double DecodeMs, double PreprocessMs, double InferenceMs, int BatchSize, double ReportMs);

public sealed record ClassScore(string Label, float Probability, float Threshold, bool Flagged);

/// <summary><c>&lt;name&gt;.error.json</c> beside a quarantined input: what was wrong and what to do.</summary>
public sealed record QuarantineRecord
{
    public string Schema { get; init; } = "mlrfnet.edge.quarantine";
    public int SchemaVersion { get; init; } = 1;
    public required string InputName { get; init; }
    public string? InputSha256 { get; init; }
    public required long Bytes { get; init; }
    public required string Kind { get; init; }
    public required string Reason { get; init; }
    public required string WhatToDo { get; init; }
    public required DateTimeOffset QuarantinedUtc { get; init; }
}

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

    /// <summary>"scored", or "unsuitable" (not scored: <see cref="Suitability"/> says why; no classes, no findings).</summary>
    public string Outcome { get; init; } = Outcomes.Scored;

    /// <summary>The suitability check before scoring (Edge:Suitability).</summary>
    public ReportSuitability? Suitability { get; init; }
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

    /// <summary>
    /// The DICOM result objects written with this report (file names in the reports folder: the Comprehensive SR
    /// <c>.sr.dcm</c> and the heatmap Secondary Capture <c>.sc.dcm</c>); null for inputs that are not DICOM.
    /// </summary>
    public IReadOnlyList<string>? DicomResults { get; init; }

    /// <summary>
    /// The name the input is archived under in the archive folder (<c>x-1.png</c> when <c>x.png</c> was taken); bytes
    /// that are not UTF-8 are shown as <c>\xNN</c>.
    /// </summary>
    public string? ArchiveName { get; init; }
}

public sealed record ReportInput(string Name, string Sha256, long Bytes, string Format, int Width, int Height, int BitDepth);

/// <param name="NumberOfFrames">Frames in the file; only the first is scored.</param>
public sealed record ReportDicom(string? PatientId, string? StudyInstanceUid, string? SeriesInstanceUid, string? SopInstanceUid,
    string? Modality, string? BodyPartExamined, string? ViewPosition, string PhotometricInterpretation, string TransferSyntaxUid,
    int NumberOfFrames = 1);

/// <summary>
/// What became of an input: <see cref="Scored"/> and <see cref="Unsuitable"/> are the values of
/// <see cref="StudyReport.Outcome"/>; the console's worklist adds <see cref="Quarantined"/> and <see cref="Waiting"/>
/// for inputs without a report.
/// </summary>
public static class Outcomes
{
    public const string Scored = "scored";
    public const string Unsuitable = "unsuitable";
    public const string Quarantined = "quarantined";
    public const string Waiting = "waiting";
}

/// <param name="Result">"suitable", "unsuitable" or "not checked" (Edge:Suitability:Enabled=false).</param>
/// <param name="Rule">The failing rule (modality, body-part, view-position, size, near-uniform), when unsuitable.</param>
/// <param name="Reason">Why, in a sentence, when unsuitable.</param>
/// <param name="Tags">"verified" (DICOM: modality, body part and view were read) or "unverified" (PNG/JPEG carry none).</param>
public sealed record ReportSuitability(string Result, string? Rule, string? Reason, string Tags);

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

    /// <summary>The file's modification time when quarantined: a later change means a writer was still at it.</summary>
    public DateTime? LastWriteUtc { get; init; }
    public required string Kind { get; init; }
    public required string Reason { get; init; }
    public required string WhatToDo { get; init; }
    public required DateTimeOffset QuarantinedUtc { get; init; }
}

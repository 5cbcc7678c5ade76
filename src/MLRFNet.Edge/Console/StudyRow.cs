namespace MLRFNet.Edge.ClinicConsole;

/// <summary>A flagged finding: the class, its probability and its threshold (the margin orders the triage view).</summary>
public sealed record FlaggedFinding(string Label, double Probability, double Threshold);

/// <summary>
/// One line of the worklist: a reported study (from the ledger and its JSON report), a quarantined file (from its
/// <c>.error.json</c>) or a file still waiting in the intake or work folder. <see cref="Id"/> is the report's name
/// (the JSON file without <c>.json</c>) and is null for rows without a report.
/// </summary>
internal sealed record StudyRow
{
    public string? Id { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required string InputName { get; init; }
    public required string Outcome { get; init; }
    public string? PatientId { get; init; }
    public string? StudyDate { get; init; }
    public string? AccessionNumber { get; init; }
    public IReadOnlyList<FlaggedFinding> Flagged { get; init; } = [];

    /// <summary>How far the top flagged finding lies above its threshold (probability minus threshold), or null.</summary>
    public double? TopMargin => Flagged.Count == 0 ? null : Flagged.Max(f => f.Probability - f.Threshold);

    /// <summary>Why a file was quarantined or found unsuitable, and what to do.</summary>
    public string? Reason { get; init; }
    public string? WhatToDo { get; init; }

    /// <summary>Per-stage times in milliseconds from the JSON report (metrics), or null.</summary>
    public StageTimes? Timings { get; init; }
}

/// <summary>Stage times of one report in milliseconds (the report's <c>timings</c>).</summary>
internal sealed record StageTimes(double Hash, double Decode, double Preprocess, double Inference, double Report);

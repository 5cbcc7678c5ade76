namespace MLRFNet.Edge.Health;

/// <summary>The health file's content (<c>health.json</c>), for a field engineer's <c>cat</c> and for monitoring.</summary>
public sealed record HealthSnapshot
{
    public required string Status { get; init; }
    public required DateTimeOffset HeartbeatUtc { get; init; }
    public required DateTimeOffset StartedUtc { get; init; }
    public string? Model { get; init; }
    public string? Provider { get; init; }
    public required int QueueDepth { get; init; }
    public required int WaitingInIntake { get; init; }
    /// <summary>Inputs that could not be finished (disk error) and wait in the work folder for a retry.</summary>
    public required int KeptInWork { get; init; }
    public required long Claimed { get; init; }
    public required long Scored { get; init; }
    public required long Quarantined { get; init; }
    public required long Duplicates { get; init; }
    public required long Flagged { get; init; }
    /// <summary>Studies archived with an "unsuitable" report, not scored (Edge:Suitability).</summary>
    public long Unsuitable { get; init; }
    public DateTimeOffset? LastStudyUtc { get; init; }
    public required Dictionary<string, long?> FreeDiskMegabytes { get; init; }
    public string? PausedReason { get; init; }
    /// <summary>Entries in the intake that are not taken and why (pipes, sockets, devices, unreadable files).</summary>
    public Dictionary<string, string>? NotTaken { get; init; }
    public string? Fault { get; init; }

    /// <summary>Why the configured model was refused (status <c>refused</c>, or <c>degraded</c> when the fallback runs).</summary>
    public string? ModelRefused { get; init; }
    public string? LastFault { get; init; }
    public DateTimeOffset? LastFaultUtc { get; init; }
    /// <summary>DICOM results (SR, Secondary Capture) waiting to be sent to the PACS; null when no PACS is configured.</summary>
    public int? PacsPending { get; init; }
    public long PacsSent { get; init; }
    public DateTimeOffset? PacsLastSentUtc { get; init; }
    /// <summary>Why the last send failed (PACS unreachable, refused); null once a send succeeds.</summary>
    public string? PacsLastError { get; init; }
    public DateTimeOffset? PacsLastErrorUtc { get; init; }
    public required int ProcessId { get; init; }
    public required string Version { get; init; }
}

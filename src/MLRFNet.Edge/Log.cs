using Microsoft.Extensions.Logging;

namespace MLRFNet.Edge;

/// <summary>Every log message of the service, source-generated (no boxing, no string building when filtered out).</summary>
internal static partial class Log
{
    // 1xx: start and configuration
    [LoggerMessage(100, LogLevel.Information, "Model {Name} {Version} ({Precision}) loaded on {Provider}; SHA-256 {Sha256} matches its manifest")]
    public static partial void ModelLoaded(ILogger logger, string name, string version, string precision, string provider, string sha256);

    [LoggerMessage(101, LogLevel.Critical, "The service cannot start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string reason);

    [LoggerMessage(107, LogLevel.Error, "Model refused ({Reason}): {Message} Running the fallback model {FallbackPath}: the service is degraded")]
    public static partial void ModelFallback(ILogger logger, string reason, string message, string fallbackPath);

    [LoggerMessage(102, LogLevel.Information, "GPIO signals are off (Gpio:Enabled=false)")]
    public static partial void GpioDisabled(ILogger logger);

    [LoggerMessage(103, LogLevel.Warning, "GPIO is enabled but chip '{Chip}' is not present (chips found: {Found}); running without field signals. Check Gpio:Chip against gpiodetect")]
    public static partial void GpioChipMissing(ILogger logger, string chip, string found);

    [LoggerMessage(104, LogLevel.Information, "GPIO on {Chip} ({Label}): ready={Ready} busy={Busy} fault={Fault} alert={Alert}")]
    public static partial void GpioEnabled(ILogger logger, string chip, string label, int ready, int busy, int fault, int alert);

    [LoggerMessage(105, LogLevel.Information, "systemd notified READY=1; watchdog keep-alive every {IntervalSeconds} s (0: no watchdog)")]
    public static partial void SystemdReady(ILogger logger, double intervalSeconds);

    [LoggerMessage(106, LogLevel.Error, "Withholding systemd watchdog keep-alives: the intake or scoring has not progressed for {TimeoutSeconds} s")]
    public static partial void WatchdogWithheld(ILogger logger, double timeoutSeconds);

    // 2xx: intake
    [LoggerMessage(200, LogLevel.Information, "Watching {Intake} (stable age {StableAge}, full rescan every {Rescan})")]
    public static partial void IntakeWatching(ILogger logger, string intake, TimeSpan stableAge, TimeSpan rescan);

    [LoggerMessage(201, LogLevel.Information, "Took {Name} (queue depth {Depth})")]
    public static partial void Claimed(ILogger logger, string name, int depth);

    [LoggerMessage(202, LogLevel.Information, "Resuming {Name}, left in the work folder by an earlier run")]
    public static partial void Resumed(ILogger logger, string name);

    [LoggerMessage(203, LogLevel.Warning, "Could not take {Name} ({Reason}); it stays in the intake and is tried again")]
    public static partial void ClaimFailed(ILogger logger, string name, string reason);

    [LoggerMessage(204, LogLevel.Error, "Intake paused: {Reason}")]
    public static partial void IntakePaused(ILogger logger, string reason);

    [LoggerMessage(205, LogLevel.Information, "Intake resumed: disk space is back above the watermark")]
    public static partial void IntakeResumed(ILogger logger);

    [LoggerMessage(206, LogLevel.Warning, "Intake scan failed ({Reason}); trying again on the next rescan")]
    public static partial void IntakeScanFailed(ILogger logger, string reason);

    [LoggerMessage(207, LogLevel.Warning, "File watcher error ({Reason}); doing a full rescan")]
    public static partial void WatcherError(ILogger logger, string reason);

    [LoggerMessage(208, LogLevel.Warning, "No file watcher ({Reason}); relying on the periodic rescan alone")]
    public static partial void WatcherUnavailable(ILogger logger, string reason);

    [LoggerMessage(209, LogLevel.Warning, "--once: {Count} file(s) in the intake never became stable or readable; they are left for the next run")]
    public static partial void OnceLeftFiles(ILogger logger, int count);

    [LoggerMessage(210, LogLevel.Warning, "Not taking {Name}: {Reason}")]
    public static partial void NotTaken(ILogger logger, string name, string reason);

    [LoggerMessage(211, LogLevel.Warning, "Quarantined {Name} changed after it was quarantined ({Before} -> {After} bytes): a writer was still at it; taken again as {Retaken}")]
    public static partial void QuarantineRetaken(ILogger logger, string name, long before, long after, string retaken);

    [LoggerMessage(212, LogLevel.Warning, "The inotify watcher on {Intake} lost events (queue overflow); doing a full rescan")]
    public static partial void WatcherOverflow(ILogger logger, string intake);

    // 3xx: scoring and reports
    [LoggerMessage(300, LogLevel.Information, "Scored {Name}: {Findings} finding(s), top {Top}; report {Report}, input archived as {Archived}")]
    public static partial void Scored(ILogger logger, string name, int findings, string top, string report, string archived);

    [LoggerMessage(301, LogLevel.Warning, "Quarantined {Name} ({Kind}): {Reason} -> {Quarantined}")]
    public static partial void Quarantined(ILogger logger, string name, string kind, string reason, string quarantined);

    [LoggerMessage(302, LogLevel.Information, "{Name} has the same content as report {Report}; no second report, input archived as {Archived}")]
    public static partial void AlreadyReported(ILogger logger, string name, string report, string archived);

    [LoggerMessage(303, LogLevel.Warning, "A batch of {Count} failed in the model ({Reason}); scoring its images one by one")]
    public static partial void BatchFailed(ILogger logger, int count, string reason);

    [LoggerMessage(304, LogLevel.Error, "Could not finish {Name} ({Reason}); it stays in the work folder and is retried")]
    public static partial void KeptInWork(ILogger logger, string name, string reason);

    [LoggerMessage(305, LogLevel.Error, "Unexpected error while scoring a batch; its files stay in the work folder and are retried")]
    public static partial void UnexpectedBatchError(ILogger logger, Exception exception);

    [LoggerMessage(306, LogLevel.Information, "--once finished: {Scored} scored, {Unsuitable} not scored (unsuitable), {Quarantined} quarantined, {Duplicates} already reported")]
    public static partial void OnceFinished(ILogger logger, long scored, long unsuitable, long quarantined, long duplicates);

    [LoggerMessage(307, LogLevel.Warning, "Holding the report of {Name}: {Reason}; the model's result is kept and only the write is retried")]
    public static partial void ReportHeld(ILogger logger, string name, string reason);

    [LoggerMessage(308, LogLevel.Warning, "Archive name {Wanted} recorded in report {Report} is taken; {Name} archived as {Archived}")]
    public static partial void ArchiveNameTaken(ILogger logger, string wanted, string report, string name, string archived);

    [LoggerMessage(320, LogLevel.Information, "Not scored {Name}: unsuitable ({Rule}): {Reason}; report {Report}, input archived as {Archived}")]
    public static partial void Unsuitable(ILogger logger, string name, string rule, string reason, string report, string archived);

    // 6xx: PACS outbox and sender
    [LoggerMessage(600, LogLevel.Information, "Sent {Name} to the PACS {CalledAe} at {Host}:{Port}")]
    public static partial void PacsSent(ILogger logger, string name, string calledAe, string host, int port);

    [LoggerMessage(601, LogLevel.Warning, "Could not send to the PACS: {Reason}; {Pending} file(s) stay in the outbox, next attempt in {WaitSeconds} s")]
    public static partial void PacsSendFailed(ILogger logger, string reason, int pending, double waitSeconds);

    [LoggerMessage(602, LogLevel.Information, "The PACS {CalledAe} accepts files again after {Failures} failed attempt(s)")]
    public static partial void PacsRecovered(ILogger logger, string calledAe, int failures);

    [LoggerMessage(603, LogLevel.Error, "DICOM result {Name} is not in the reports folder; it cannot be queued for the PACS")]
    public static partial void OutboxSourceMissing(ILogger logger, string name);

    // 4xx: health
    [LoggerMessage(400, LogLevel.Error, "Could not write the health file {Path}: {Reason}. It is stale from now on; the fault signal is on until it can be written again")]
    public static partial void HealthWriteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(402, LogLevel.Information, "The health file {Path} is written again")]
    public static partial void HealthWriteRecovered(ILogger logger, string path);

    [LoggerMessage(403, LogLevel.Information, "Removed {Count} unfinished write(s) left by an earlier run (temporary files, report pages without their JSON report)")]
    public static partial void RemovedLeftovers(ILogger logger, int count);

    [LoggerMessage(401, LogLevel.Error, "Folder {Key} '{Path}' cannot be used: {Reason}")]
    public static partial void FolderUnusable(ILogger logger, string key, string path, string reason);
}

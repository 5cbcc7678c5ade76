using System.Reflection;
using System.Text.Json;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Signals;
using MLRFNet.Edge.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Health;

/// <summary>
/// Rewrites the health file every <see cref="EdgeOptions.HealthInterval"/> (atomically, so a reader never sees half
/// of it) and keeps the ready/fault lights in step with the state. The last write on stop says "stopped".
/// </summary>
internal sealed class HealthFileWriter(ServiceState state, WorkQueue queue, IntakeScanner scanner, DiskWatermark disk,
    IFieldSignals signals, DurableFile durable, TimeProvider time, IOptions<EdgeOptions> options, ILogger<HealthFileWriter> logger) : BackgroundService
{
    private static readonly string version =
        typeof(HealthFileWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private readonly DateTimeOffset started = time.GetUtcNow();
    private bool healthWriteFailing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Write(null);
                await Task.Delay(options.Value.HealthInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        signals.Set(FieldSignal.Ready, false);
        if (state.Refused is null) Write("stopped");
    }

    /// <summary>
    /// The refused state, written once at start before the service exits: status <c>refused</c> with the reason,
    /// fault light on, ready off. It stays on disk (systemd does not restart a refusal) until a good model is installed.
    /// </summary>
    public void WriteRefused(string reason)
    {
        state.Refused = reason;
        Write(null);
    }

    public HealthSnapshot Snapshot(string? statusOverride)
    {
        var status = statusOverride
            ?? (state.Refused is not null ? "refused" : state.Fault is not null ? "fault" : state.PausedReason is not null ? "paused"
                : state.Ready ? (state.Degraded is not null ? "degraded" : "ready") : "starting");
        return new HealthSnapshot
        {
            Status = status, HeartbeatUtc = time.GetUtcNow(), StartedUtc = started, Model = state.Model, Provider = state.Provider,
            QueueDepth = queue.Depth, WaitingInIntake = scanner.Pending, KeptInWork = state.KeptInWork, Claimed = state.Claimed, Scored = state.Scored,
            Quarantined = state.Quarantined, Duplicates = state.Duplicates, Flagged = state.Flagged, Unsuitable = state.Unsuitable,
            LastStudyUtc = state.LastStudyUtc, FreeDiskMegabytes = disk.FreeMegabytes(), PausedReason = state.PausedReason,
            NotTaken = state.NotTaken.Count > 0 ? new Dictionary<string, string>(state.NotTaken, StringComparer.Ordinal) : null,
            Fault = state.Fault, ModelRefused = state.Refused ?? state.Degraded, LastFault = state.LastFault, LastFaultUtc = state.LastFaultUtc,
            PacsPending = state.PacsPending, PacsSent = state.PacsSent, PacsLastSentUtc = state.LastPacsSentUtc, PacsLastError = state.PacsLastError,
            PacsLastErrorUtc = state.PacsLastErrorUtc, ProcessId = Environment.ProcessId, Version = version,
        };
    }

    private void Write(string? statusOverride)
    {
        var snapshot = Snapshot(statusOverride);
        // Degraded still scores (ready light on) but with the fault light on: someone must look at the model slot.
        signals.Set(FieldSignal.Ready, snapshot.Status is "ready" or "degraded");
        signals.Set(FieldSignal.Fault, snapshot.Status is "fault" or "paused" or "refused" or "degraded" || healthWriteFailing);
        try
        {
            durable.WriteReplace(options.Value.ResolvedHealthFile, JsonSerializer.SerializeToUtf8Bytes(snapshot, EdgeJsonContext.Default.HealthSnapshot));
            if (healthWriteFailing)
            {
                healthWriteFailing = false;
                Log.HealthWriteRecovered(logger, options.Value.ResolvedHealthFile);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Swallow and log: a full or read-only disk must not stop scoring. The file on disk now goes stale and
            // still says what it said last (maybe "ready"), so the fault light goes on and the log says why.
            signals.Set(FieldSignal.Fault, true);
            if (!healthWriteFailing) Log.HealthWriteFailed(logger, options.Value.ResolvedHealthFile, e.Message);
            healthWriteFailing = true;
        }
    }
}

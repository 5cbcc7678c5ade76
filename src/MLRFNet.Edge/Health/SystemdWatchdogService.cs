using System.Globalization;
using MLRFNet.Edge.Intake;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MLRFNet.Edge.Health;

/// <summary>
/// Talks to systemd for a <c>Type=notify</c> unit: <c>READY=1</c> once the model is loaded and the intake runs,
/// <c>WATCHDOG=1</c> at half of <c>WatchdogSec</c> while the pipeline is alive (the .NET host's systemd lifetime does
/// not send keep-alives), a one-line <c>STATUS=</c> for <c>systemctl status</c>, and <c>STOPPING=1</c> on stop.
/// Keep-alives stop when the intake loop or a waiting queue stalls, so systemd restarts a hung service.
/// </summary>
internal sealed class SystemdWatchdogService(SystemdNotifier notifier, ServiceState state, WorkQueue queue,
    TimeProvider time, IHostApplicationLifetime lifetime, ILogger<SystemdWatchdogService> logger, WatchdogSettings settings) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsActive) return;
        try
        {
            // Started = every hosted service's StartAsync ran (options validated, model loaded).
            await WaitForStartedAsync(stoppingToken);
            while (!state.Ready) await Task.Delay(TimeSpan.FromMilliseconds(20), time, stoppingToken);
            notifier.Notify("READY=1\nSTATUS=" + Status());
            Log.SystemdReady(logger, settings.Interval?.TotalSeconds ?? 0);
            var tick = settings.Interval ?? TimeSpan.FromSeconds(5);
            var stalled = false;
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(tick, time, stoppingToken);
                var alive = state.IsAlive(settings.LivenessTimeout, queue.Depth);
                if (alive && settings.Interval is not null) notifier.Notify("WATCHDOG=1\nSTATUS=" + Status());
                else if (settings.Interval is null) notifier.Notify("STATUS=" + Status());
                if (!alive && !stalled) Log.WatchdogWithheld(logger, settings.LivenessTimeout.TotalSeconds);
                stalled = !alive;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        notifier.Notify("STOPPING=1");
        await base.StopAsync(cancellationToken);
    }

    private Task WaitForStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    private string Status() => string.Create(CultureInfo.InvariantCulture,
        $"scored {state.Scored}, quarantined {state.Quarantined}, queue {queue.Depth}{(state.PausedReason is { } p ? ", PAUSED: " + p : "")}{(state.Fault is { } f ? ", FAULT: " + f : "")}");
}

/// <summary>Keep-alive interval (null: no watchdog asked for) and how long the pipeline may stall before keep-alives stop.</summary>
internal sealed record WatchdogSettings(TimeSpan? Interval, TimeSpan LivenessTimeout);

using MLRFNet.Edge.Health;
using MLRFNet.Edge.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Intake;

/// <summary>
/// Drives the <see cref="IntakeScanner"/>: an inotify watcher (<see cref="InotifyWatcher"/>: close-write tells when a
/// writer is done), a full rescan every <see cref="EdgeOptions.RescanInterval"/> as the safety net (inotify drops
/// events when its queue overflows and network shares send none; the rescan also re-takes quarantined files that
/// changed afterwards), and a poll of files seen but not yet stable. In <c>--once</c> mode it takes what is
/// in the intake, closes the queue and stops.
/// </summary>
internal sealed class IntakeService(IntakeScanner scanner, QuarantineWatch quarantineWatch, WorkQueue queue, ServiceState state,
    TimeProvider time, IOptions<EdgeOptions> options, ILogger<IntakeService> logger) : BackgroundService
{
    private readonly EdgeOptions options = options.Value;
    private readonly SemaphoreSlim wake = new(0);
    private volatile bool rescanRequested;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await scanner.QueueWorkFolderAsync(stoppingToken);
            if (options.Once) await RunOnceAsync(stoppingToken);
            else await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        using var watcher = CreateWatcher();
        state.Ready = true;
        Log.IntakeWatching(logger, Path.GetFullPath(options.IntakeFolder), options.StableAge, options.RescanInterval);
        var lastRescan = long.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var rescan = rescanRequested || lastRescan == long.MinValue || time.GetElapsedTime(lastRescan) >= options.RescanInterval;
            if (rescan)
            {
                rescanRequested = false;
                lastRescan = time.GetTimestamp();
                await scanner.QueueWorkFolderAsync(stoppingToken);
            }
            try
            {
                if (rescan) quarantineWatch.RetakeChanged();
                await scanner.StepAsync(rescan, stoppingToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Swallow and log: an unreadable intake (share gone, USB unplugged) must not stop the service;
                // the next rescan tries again.
                Log.IntakeScanFailed(logger, e.Message);
            }
            await wake.WaitAsync(options.PollInterval, stoppingToken);
            while (wake.CurrentCount > 0) wake.Wait(0);
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        state.Ready = true;
        // Everything present now, after its stable age; files that stay locked or arrive later are left for the
        // next run and named in the log.
        var deadline = options.StableAge * 2 + TimeSpan.FromSeconds(10);
        var started = time.GetTimestamp();
        await scanner.StepAsync(fullRescan: true, stoppingToken);
        while (scanner.Pending > 0 && time.GetElapsedTime(started) < deadline)
        {
            await Task.Delay(options.PollInterval, time, stoppingToken);
            await scanner.StepAsync(fullRescan: false, stoppingToken);
        }
        if (scanner.Pending > 0) Log.OnceLeftFiles(logger, scanner.Pending);
        queue.Complete();
    }

    private InotifyWatcher? CreateWatcher()
    {
        try
        {
            return InotifyWatcher.Start(options.IntakeFolder, Poke, () =>
            {
                Log.WatcherOverflow(logger, options.IntakeFolder);
                rescanRequested = true;
                wake.Release();
            });
        }
        catch (Exception e) when (e is IOException or DllNotFoundException or EntryPointNotFoundException)
        {
            // No watcher (inotify limit reached, exotic file system): the rescan alone still finds every file, and
            // files wait the longer unwatched stable age.
            Log.WatcherUnavailable(logger, e.Message);
            return null;
        }
    }

    private void Poke(string path, IntakeEvent kind)
    {
        scanner.Hint(path, kind);
        wake.Release();
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }
}

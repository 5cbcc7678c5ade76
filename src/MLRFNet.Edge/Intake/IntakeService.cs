using MLRFNet.Edge.Health;
using MLRFNet.Edge.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Intake;

/// <summary>
/// Drives the <see cref="IntakeScanner"/>: a FileSystemWatcher for speed, a full rescan every
/// <see cref="EdgeOptions.RescanInterval"/> as the safety net (inotify drops events when its queue overflows and
/// network shares send none), and a poll of files seen but not yet stable. In <c>--once</c> mode it takes what is
/// in the intake, closes the queue and stops.
/// </summary>
internal sealed class IntakeService(IntakeScanner scanner, WorkQueue queue, ServiceState state, TimeProvider time,
    IOptions<EdgeOptions> options, ILogger<IntakeService> logger) : BackgroundService
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

    private FileSystemWatcher? CreateWatcher()
    {
        try
        {
            var watcher = new FileSystemWatcher(options.IntakeFolder)
            {
                IncludeSubdirectories = false,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.LastWrite,
                InternalBufferSize = 64 * 1024,
            };
            watcher.Created += (_, e) => Poke(e.FullPath);
            watcher.Changed += (_, e) => Poke(e.FullPath);
            watcher.Renamed += (_, e) => Poke(e.FullPath);
            watcher.Error += (_, e) =>
            {
                Log.WatcherError(logger, e.GetException().Message);
                rescanRequested = true;
                wake.Release();
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // No watcher (inotify limit reached, exotic file system): the rescan alone still finds every file.
            Log.WatcherUnavailable(logger, e.Message);
            return null;
        }
    }

    private void Poke(string path)
    {
        scanner.Hint(path);
        wake.Release();
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }
}

using System.Collections.Concurrent;
using MLRFNet.Edge.Health;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Intake;

/// <summary>
/// One turn of the intake: look at the candidate files, claim the stable ones into the work folder and queue them.
/// Only regular files are taken; what else sits in the intake is handled by <see cref="OddFiles"/> (links moved
/// aside, pipes/sockets/devices and unreadable files reported once). Kept free of timers and watchers (those are
/// <see cref="IntakeService"/>'s) so tests drive it step by step on a fake clock.
/// </summary>
internal sealed class IntakeScanner
{
    private readonly IIntakeFileSystem files;
    private readonly WorkQueue queue;
    private readonly DiskWatermark disk;
    private readonly ServiceState state;
    private readonly TimeProvider time;
    private readonly ILogger<IntakeScanner> logger;
    private readonly EdgeOptions options;
    private readonly OddFiles odd;
    private readonly StabilityTracker tracker;
    private readonly ConcurrentQueue<(string Path, IntakeEvent Kind)> hints = new();

    public IntakeScanner(IIntakeFileSystem files, WorkQueue queue, DiskWatermark disk, ServiceState state, OddFiles odd,
        TimeProvider time, IOptions<EdgeOptions> options, ILogger<IntakeScanner> logger)
    {
        this.files = files;
        this.queue = queue;
        this.disk = disk;
        this.state = state;
        this.odd = odd;
        this.time = time;
        this.logger = logger;
        this.options = options.Value;
        // --once has no watcher: the files present at its start were put there before it was run.
        tracker = new StabilityTracker(time, this.options.StableAge, this.options.Once ? this.options.StableAge : this.options.UnwatchedStableAge);
    }

    /// <summary>Files seen in the intake and not yet taken.</summary>
    public int Pending => tracker.Count;

    /// <summary>A watcher event: look at this path on the next step.</summary>
    public void Hint(string path, IntakeEvent kind = IntakeEvent.Writing) => hints.Enqueue((path, kind));

    /// <summary>
    /// Queues what sits in the work folder and is not already queued: files claimed before a crash or power cut,
    /// and files whose report could not be written earlier (disk error). Each is scored again; the report index
    /// stops a second report for content that was already reported.
    /// </summary>
    public async Task<int> QueueWorkFolderAsync(CancellationToken cancellationToken)
    {
        var queued = 0;
        foreach (var path in files.EnumerateFiles(options.WorkFolder).Order(StringComparer.Ordinal).ToList())
        {
            if (!IntakeFilter.IsCandidate(path) || queue.IsInFlight(path)) continue;
            await WaitForRoomAsync(cancellationToken);
            var item = new WorkItem(Path.GetFileName(path), path, time.GetUtcNow());
            if (queue.TryWrite(item))
            {
                queued++;
                Log.Resumed(logger, RawNames.Display(item.OriginalName));
            }
        }
        return queued;
    }

    /// <summary>
    /// Looks at hinted files (and, on a full rescan, at every file in the intake), then claims those stable for
    /// their stable age that can be opened. Returns how many were claimed.
    /// </summary>
    public async Task<int> StepAsync(bool fullRescan, CancellationToken cancellationToken)
    {
        state.IntakeBeat();
        if (fullRescan)
        {
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in files.EnumerateFiles(options.IntakeFolder))
            {
                if (!IntakeFilter.IsCandidate(path)) continue;
                present.Add(path);
                Look(path);
            }
            foreach (var gone in tracker.Paths.Where(p => !present.Contains(p)).ToList()) tracker.Forget(gone);
            odd.ForgetAllBut(present);
        }
        while (hints.TryDequeue(out var hinted))
        {
            if (!IntakeFilter.IsCandidate(hinted.Path) ||
                !string.Equals(Path.GetDirectoryName(hinted.Path), Path.TrimEndingDirectorySeparator(options.IntakeFolder), StringComparison.Ordinal))
                continue;
            Look(hinted.Path);
            if (hinted.Kind != IntakeEvent.Attributes) tracker.SetClosed(hinted.Path, hinted.Kind == IntakeEvent.Closed);
        }

        var claimed = 0;
        var candidates = tracker.Paths
            .Select(p => (Path: p, Stamp: Stamp(files.Inspect(p))))
            .OrderBy(c => c.Stamp?.LastWriteUtc ?? DateTime.MaxValue).ThenBy(c => c.Path, StringComparer.Ordinal)
            .ToList();
        foreach (var (path, stamp) in candidates)
        {
            tracker.Observe(path, stamp);
            if (stamp is null || !tracker.IsStable(path)) continue;
            if (!disk.HasRoom()) break; // paused: files wait in the intake, logged once by DiskWatermark
            switch (files.ProbeOpen(path, out var reason))
            {
                case OpenProbe.Locked: continue; // a writer still holds it; try again next step
                case OpenProbe.PermissionDenied:
                    odd.Report(path, reason ?? "permission denied: give the service user read access");
                    continue; // waits in the intake; taken once readable (an IN_ATTRIB event or the next step)
                case OpenProbe.Gone:
                    tracker.Forget(path);
                    continue;
            }
            odd.Forget(path);
            await WaitForRoomAsync(cancellationToken);
            if (TryClaim(path)) claimed++;
        }
        if (claimed == 0) disk.HasRoom(); // keep the paused/resumed state current while idle
        state.IntakeBeat();
        return claimed;
    }

    /// <summary>Regular files are tracked for stability; anything else is handed to <see cref="OddFiles"/>.</summary>
    private void Look(string path)
    {
        var info = files.Inspect(path);
        if (info.Kind == EntryKind.Regular)
        {
            tracker.Observe(path, Stamp(info));
            return;
        }
        tracker.Forget(path);
        if (info.Kind != EntryKind.Missing) odd.Handle(path, info.Kind);
    }

    private static FileStamp? Stamp(EntryInfo info) =>
        info.Kind == EntryKind.Regular ? new FileStamp(info.Size, info.LastWriteUtc) : null;

    private bool TryClaim(string path)
    {
        var name = Path.GetFileName(path);
        string workPath;
        try
        {
            workPath = files.MoveNoOverwrite(path, options.WorkFolder, name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Swallow and log: the file vanished or is not ours to move yet; the next rescan sees it again.
            tracker.Forget(path);
            Log.ClaimFailed(logger, RawNames.Display(name), e.Message);
            return false;
        }
        tracker.Forget(path);
        state.OnClaimed();
        var item = new WorkItem(name, workPath, time.GetUtcNow());
        queue.TryWrite(item); // room was awaited; a single writer cannot lose it
        Log.Claimed(logger, RawNames.Display(name), queue.Depth);
        return true;
    }

    private async Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        // Beat while waiting: a full queue is back-pressure, not a hang (the watchdog looks at scoring progress).
        var wait = queue.WaitToWriteAsync(cancellationToken).AsTask();
        while (!wait.IsCompleted)
        {
            await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken));
            state.IntakeBeat();
        }
        if (!await wait) throw new OperationCanceledException("The work queue is closed.");
    }
}

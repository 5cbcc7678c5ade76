using MLRFNet.Edge.Health;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Storage;
using MLRFNet.Edge.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MLRFNet.Edge.Tests.Intake;

/// <summary>The intake's rules on a fake clock and a fake file system: deterministic, no sleeping.</summary>
public sealed class IntakeScannerTests
{
    internal sealed class FakeFiles : IIntakeFileSystem
    {
        public readonly Dictionary<string, FileStamp> Files = new(StringComparer.Ordinal);
        public readonly Dictionary<string, EntryKind> Odd = new(StringComparer.Ordinal);
        public readonly HashSet<string> Locked = new(StringComparer.Ordinal);
        public readonly HashSet<string> Unreadable = new(StringComparer.Ordinal);
        public readonly List<string> Moved = [];
        public int Opened;

        public IEnumerable<string> EnumerateFiles(string folder) =>
            Files.Keys.Concat(Odd.Keys).Where(p => Path.GetDirectoryName(p) == folder).ToList();

        public EntryInfo Inspect(string path) =>
            Files.TryGetValue(path, out var s) ? new EntryInfo(EntryKind.Regular, s.Length, s.LastWriteUtc)
            : Odd.TryGetValue(path, out var kind) ? new EntryInfo(kind, 0, DateTime.UnixEpoch)
            : new EntryInfo(EntryKind.Missing, 0, default);

        public OpenProbe ProbeOpen(string path, out string? reason)
        {
            Opened++;
            reason = null;
            if (Odd.ContainsKey(path)) throw new InvalidOperationException($"{path} is not a regular file and must never be opened");
            if (Unreadable.Contains(path))
            {
                reason = FileSystemOps.Error(13, "open", path, null).Message;
                return OpenProbe.PermissionDenied;
            }
            return Locked.Contains(path) ? OpenProbe.Locked : OpenProbe.Ok;
        }

        public string MoveNoOverwrite(string source, string folder, string fileName)
        {
            var stamp = Files[source];
            Files.Remove(source);
            var target = Path.Combine(folder, fileName);
            Files[target] = stamp;
            Moved.Add(fileName);
            return target;
        }
    }

    private readonly FakeTimeProvider time = new(DateTimeOffset.UnixEpoch);
    private readonly FakeFiles files = new();
    private readonly EdgeOptions options = new()
    {
        IntakeFolder = "/in", WorkFolder = "/work", ReportsFolder = "/r", ArchiveFolder = "/a", QuarantineFolder = "/q",
        StableAge = TimeSpan.FromSeconds(2), UnwatchedStableAge = TimeSpan.FromSeconds(2), QueueCapacity = 100,
    };
    private readonly FakeDiskSpace disk = new();
    private readonly ListLoggerProvider logs = new();
    private IntakeScanner scanner;
    private WorkQueue queue;
    private ServiceState state;

    public IntakeScannerTests() => (scanner, queue, state) = CreateScanner();

    private (IntakeScanner, WorkQueue, ServiceState) CreateScanner()
    {
        var o = Microsoft.Extensions.Options.Options.Create(options);
        var serviceState = new ServiceState(time);
        var workQueue = new WorkQueue(o);
        var quarantine = new Quarantine(o, new DurableFile(FileSystemOps.Real), time);
        var odd = new OddFiles(quarantine, serviceState, LoggerFactory.Create(b => b.AddProvider(logs)).CreateLogger<OddFiles>());
        return (new IntakeScanner(files, workQueue, new DiskWatermark(disk, o, serviceState, NullLogger<DiskWatermark>.Instance), serviceState,
            odd, time, o, NullLogger<IntakeScanner>.Instance), workQueue, serviceState);
    }

    private Task<int> Step(bool full = true) => scanner.StepAsync(full, CancellationToken.None);

    [Fact]
    public async Task AFileIsTakenOnlyAfterItsStampHasBeenUnchangedForTheStableAge()
    {
        files.Files["/in/a.png"] = new FileStamp(100, DateTime.UnixEpoch);
        Assert.Equal(0, await Step());
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Equal(0, await Step());
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(1, await Step());
        Assert.Equal(["a.png"], files.Moved);
        Assert.Equal(1, queue.Depth);
    }

    [Fact]
    public async Task GrowthOrATouchRestartsTheClock()
    {
        files.Files["/in/a.png"] = new FileStamp(100, DateTime.UnixEpoch);
        await Step();
        time.Advance(TimeSpan.FromSeconds(1.5));
        files.Files["/in/a.png"] = new FileStamp(200, DateTime.UnixEpoch); // grew
        await Step();
        time.Advance(TimeSpan.FromSeconds(1.5));
        files.Files["/in/a.png"] = new FileStamp(200, DateTime.UnixEpoch.AddSeconds(1)); // same size, rewritten
        Assert.Equal(0, await Step());
        time.Advance(TimeSpan.FromSeconds(1.99));
        Assert.Equal(0, await Step());
        time.Advance(TimeSpan.FromSeconds(0.01));
        Assert.Equal(1, await Step());
    }

    [Fact]
    public async Task AnOldMtimeDoesNotShortcutTheWait()
    {
        // A file copied with its original timestamp (cp -p, rsync -t) looks ancient; only our own clock counts.
        files.Files["/in/old.png"] = new FileStamp(100, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(0, await Step());
    }

    [Fact]
    public async Task LockedFilesWaitAndTemporaryNamesAreNeverTaken()
    {
        foreach (var name in new[] { "a.png", "b.png.part", "c.tmp", "d.png~", ".e.png", "f.DCM.PART" })
            files.Files["/in/" + name] = new FileStamp(10, DateTime.UnixEpoch);
        files.Locked.Add("/in/a.png");
        await Step();
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await Step());
        files.Locked.Clear();
        Assert.Equal(1, await Step());
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await Step());
        Assert.Equal(["a.png"], files.Moved);
    }

    [Fact]
    public async Task AHintedFileIsSeenWithoutAFullRescan()
    {
        files.Files["/in/a.png"] = new FileStamp(10, DateTime.UnixEpoch);
        scanner.Hint("/in/a.png", IntakeEvent.Closed);
        await Step(full: false);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await Step(full: false));
    }

    [Fact]
    public async Task LowDiskHoldsStableFilesInTheIntake()
    {
        files.Files["/in/a.png"] = new FileStamp(10, DateTime.UnixEpoch);
        disk.Available = 1 << 20;
        await Step();
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(0, await Step());
        disk.Available = 10L << 30;
        Assert.Equal(1, await Step());
    }

    [Fact]
    public async Task TheOldestFileIsTakenFirst()
    {
        files.Files["/in/z-new.png"] = new FileStamp(10, DateTime.UnixEpoch.AddMinutes(5));
        files.Files["/in/a-newest.png"] = new FileStamp(10, DateTime.UnixEpoch.AddMinutes(9));
        files.Files["/in/m-old.png"] = new FileStamp(10, DateTime.UnixEpoch);
        await Step();
        time.Advance(TimeSpan.FromSeconds(2));
        await Step();
        Assert.Equal(["m-old.png", "z-new.png", "a-newest.png"], files.Moved);
    }

    // Issue #14 case 2: a FIFO (or socket, device) in the intake blocked the whole service in open(2).
    [Fact]
    public async Task PipesSocketsAndDevicesAreNeverOpenedReportedOnceAndDoNotHoldUpOtherFiles()
    {
        files.Odd["/in/pipe.png"] = EntryKind.Fifo;
        files.Odd["/in/sock"] = EntryKind.Socket;
        files.Odd["/in/zero.png"] = EntryKind.Device;
        files.Files["/in/a.png"] = new FileStamp(10, DateTime.UnixEpoch);
        await Step();
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(1, await Step());
        time.Advance(TimeSpan.FromSeconds(3));
        await Step();
        await Step();

        Assert.Equal(["a.png"], files.Moved);
        Assert.Equal(["pipe.png", "sock", "zero.png"], state.NotTaken.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("named pipe", state.NotTaken["pipe.png"]);
        Assert.Equal(3, logs.Entries.Count(e => e.EventId == 210)); // once each, not on every rescan
        files.Odd.Remove("/in/pipe.png");
        await Step();
        Assert.DoesNotContain("pipe.png", state.NotTaken.Keys);
    }

    // Issue #14 case 7: a file the service user cannot read waited in the intake with no log line and status "ready".
    [Fact]
    public async Task AnUnreadableFileIsReportedOnceWithTheFixAndTakenWhenReadable()
    {
        files.Files["/in/a.png"] = new FileStamp(10, DateTime.UnixEpoch);
        files.Unreadable.Add("/in/a.png");
        await Step();
        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(3));
            Assert.Equal(0, await Step());
        }
        Assert.Contains("permission denied: give the service user read access", state.NotTaken["a.png"]);
        Assert.Single(logs.Entries, e => e.EventId == 210 && e.Message.Contains("a.png") && e.Message.Contains("read access"));

        files.Unreadable.Clear();
        Assert.Equal(1, await Step());
        Assert.Empty(state.NotTaken);
    }

    // Issue #14 case 5: a copy that paused longer than the stable age was taken (and quarantined as truncated).
    [Fact]
    public async Task AFileStillOpenForWritingWaitsForCloseWriteOrTheLongUnwatchedAge()
    {
        options.UnwatchedStableAge = TimeSpan.FromSeconds(30);
        (scanner, queue, state) = CreateScanner();
        files.Files["/in/slow.png"] = new FileStamp(10, DateTime.UnixEpoch);
        scanner.Hint("/in/slow.png", IntakeEvent.Writing);   // inotify: created / modified, not closed
        await Step(full: false);
        time.Advance(TimeSpan.FromSeconds(10));              // the writer pauses far past StableAge (2 s)
        Assert.Equal(0, await Step());
        scanner.Hint("/in/slow.png", IntakeEvent.Closed);    // IN_CLOSE_WRITE
        Assert.Equal(1, await Step(full: false));            // unchanged for 10 s and now closed

        files.Files["/in/rescan-only.png"] = new FileStamp(10, DateTime.UnixEpoch);
        await Step();
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await Step());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Step());
        Assert.Equal(["slow.png", "rescan-only.png"], files.Moved);
    }

    [Fact]
    public async Task AWriteAfterTheCloseNeedsAnotherClose()
    {
        options.UnwatchedStableAge = TimeSpan.FromSeconds(30);
        (scanner, queue, state) = CreateScanner();
        files.Files["/in/a.png"] = new FileStamp(10, DateTime.UnixEpoch);
        scanner.Hint("/in/a.png", IntakeEvent.Writing);
        scanner.Hint("/in/a.png", IntakeEvent.Closed);
        scanner.Hint("/in/a.png", IntakeEvent.Writing);      // opened again and written (same size here)
        await Step(full: false);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await Step(full: false));
    }
}

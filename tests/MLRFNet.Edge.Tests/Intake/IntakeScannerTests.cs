using MLRFNet.Edge.Health;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MLRFNet.Edge.Tests.Intake;

/// <summary>The intake's rules on a fake clock and a fake file system: deterministic, no sleeping.</summary>
public sealed class IntakeScannerTests
{
    private sealed class FakeFiles : IIntakeFileSystem
    {
        public readonly Dictionary<string, FileStamp> Files = new(StringComparer.Ordinal);
        public readonly HashSet<string> Locked = new(StringComparer.Ordinal);
        public readonly List<string> Moved = [];

        public IEnumerable<string> EnumerateFiles(string folder) =>
            Files.Keys.Where(p => Path.GetDirectoryName(p) == folder).ToList();

        public FileStamp? TryStat(string path) => Files.TryGetValue(path, out var s) ? s : null;

        public bool CanOpenExclusively(string path) => !Locked.Contains(path);

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
        StableAge = TimeSpan.FromSeconds(2), QueueCapacity = 100,
    };
    private readonly FakeDiskSpace disk = new();
    private readonly IntakeScanner scanner;
    private readonly WorkQueue queue;

    public IntakeScannerTests()
    {
        var o = Microsoft.Extensions.Options.Options.Create(options);
        var state = new ServiceState(time);
        queue = new WorkQueue(o);
        scanner = new IntakeScanner(files, queue, new DiskWatermark(disk, o, state, NullLogger<DiskWatermark>.Instance), state, time, o,
            NullLogger<IntakeScanner>.Instance);
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
        scanner.Hint("/in/a.png");
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
}

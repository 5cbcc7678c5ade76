using System.Collections.Concurrent;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Storage;
using MLRFNet.Edge.Tests.Support;

namespace MLRFNet.Edge.Tests.Intake;

/// <summary>The hand-written inotify reader against the real kernel: waits on the events themselves (no sleeps).</summary>
public sealed class InotifyWatcherTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20); // guards against a hang only

    private readonly string folder = Directory.CreateTempSubdirectory("mlrfnet-inotify-").FullName;
    private readonly BlockingCollection<(string Path, IntakeEvent Kind)> events = new();

    public void Dispose() => RawTree.Delete(folder);

    private (string Path, IntakeEvent Kind) Next()
    {
        Assert.True(events.TryTake(out var e, Patience), "no inotify event arrived");
        return e;
    }

    [Fact]
    public void AWriterStillHoldingTheFileGivesWritingAndItsCloseGivesClosed()
    {
        using var watcher = InotifyWatcher.Start(folder, (p, k) => events.Add((p, k)), () => { });
        var path = Path.Combine(folder, "slow.png");
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            Assert.Equal((path, IntakeEvent.Writing), Next()); // IN_CREATE
            stream.Write([1, 2, 3]);
            stream.Flush();
            Assert.Equal((path, IntakeEvent.Writing), Next()); // IN_MODIFY, still open
        }
        Assert.Equal((path, IntakeEvent.Closed), Next());      // IN_CLOSE_WRITE
    }

    [Fact]
    public void ANameThatIsNotUtf8ArrivesWithItsOriginalBytes()
    {
        using var watcher = InotifyWatcher.Start(folder, (p, k) => events.Add((p, k)), () => { });
        var raw = RawNames.FromBytes([(byte)'a', 0xFF, 0xFE, (byte)'.', (byte)'p', (byte)'n', (byte)'g']);
        var path = Path.Combine(folder, raw);
        FileSystemOps.Real.WriteNewFile(path, [1]);

        (string Path, IntakeEvent Kind) last;
        do last = Next(); while (last.Kind != IntakeEvent.Closed);
        Assert.Equal(path, last.Path);
        Assert.Equal([(byte)'a', 0xFF, 0xFE, (byte)'.', (byte)'p', (byte)'n', (byte)'g'], RawNames.ToBytes(Path.GetFileName(last.Path), nulTerminated: false));
    }
}

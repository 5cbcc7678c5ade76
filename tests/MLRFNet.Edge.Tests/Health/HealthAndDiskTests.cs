using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Tests.Support;

namespace MLRFNet.Edge.Tests.Health;

/// <summary>The health file a field engineer reads, and the low-disk pause it reports.</summary>
public sealed class HealthAndDiskTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private static MLRFNet.Edge.Health.HealthSnapshot Read(EdgeTestHost host) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(host.HealthFile), EdgeJsonContext.Default.HealthSnapshot)!;

    [Fact]
    public async Task TheHealthFileCountsWhatHappened()
    {
        await using var host = EdgeTestHost.Create(temp.Path);
        await host.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "a.png"), SyntheticXrays.Png(1));
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "b.png"), "junk"u8.ToArray());
        await host.WaitUntilAsync(() => File.Exists(host.HealthFile) && Read(host) is { Scored: 1, Quarantined: 1 }, what: "health counts");
        var health = Read(host);
        Assert.Equal("ready", health.Status);
        Assert.Equal("FakeCPU", health.Provider);
        Assert.Equal(0, health.QueueDepth);
        Assert.Equal(100L << 30 >> 20, health.FreeDiskMegabytes["reports"]);
        Assert.Null(health.PausedReason);
        var before = health.HeartbeatUtc;
        await host.WaitUntilAsync(() => Read(host).HeartbeatUtc > before, what: "heartbeat advances");
        await host.StopAsync();
        Assert.Equal("stopped", Read(host).Status);
    }

    [Fact]
    public async Task AFileKeptInTheWorkFolderAfterADiskErrorIsCountedUntilARetryFinishesIt()
    {
        var bytes = SyntheticXrays.Png(3);
        var blocker = ReportBlocker.Block(Path.Combine(temp.Path, "reports"), "kept.png", bytes);
        await using var host = EdgeTestHost.Create(temp.Path);
        await host.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "kept.png"), bytes);
        await host.WaitUntilAsync(() => File.Exists(host.HealthFile) && Read(host).KeptInWork == 1, what: "kept in work");
        Assert.Equal(["kept.png"], host.Files(host.Work));
        Assert.Empty(host.ReportJsons());
        ReportBlocker.Unblock(blocker);
        // The next rescan of the work folder (every second here) scores it again; a count of what is still unfinished,
        // not a total, so it goes back to 0.
        await host.WaitUntilAsync(() => host.Inputs(host.Archive).Length == 1 && Read(host).KeptInWork == 0, what: "retried and archived");
        Assert.Empty(host.Files(host.Work));
        Assert.Single(host.ReportJsons());
        Assert.Equal(0, host.State.KeptInWork);
        Assert.Equal(1, host.State.Scored);
    }

    [Fact]
    public async Task LowDiskPausesTheIntakeSaysSoAndResumesWhenSpaceReturns()
    {
        var disk = new FakeDiskSpace { Available = 50L << 20 }; // 50 MB, under the 100 MB watermark
        var clock = new FakeTimeProvider();
        var files = new ObservedIntakeFileSystem(Path.Combine(temp.Path, "intake"));
        await using var host = EdgeTestHost.Create(temp.Path, disk: disk,
            services: s => s.AddSingleton<TimeProvider>(clock).AddSingleton<IIntakeFileSystem>(files));
        await host.StartAsync();
        var path = Path.Combine(host.Intake, "waiting.png");
        await File.WriteAllBytesAsync(path, SyntheticXrays.Png(2));
        await host.AdvanceUntilAsync(() => clock.Advance(TimeSpan.FromSeconds(0.1)),
            () => File.Exists(host.HealthFile) && Read(host).Status == "paused", "paused");
        Assert.Contains("low disk", Read(host).PausedReason);
        Assert.True(host.Logs.Contains(204));
        // Well past the stable age since the scanner saw the file, two full intake steps (a full rescan starts
        // each): the first of them found the file stable and, paused, did not take it.
        await host.WaitUntilAsync(() => files.SeenLength(path) is > 0, what: "the scanner to see the file");
        clock.Advance(TimeSpan.FromSeconds(1));
        var rescans = files.Rescans;
        await host.AdvanceUntilAsync(() => clock.Advance(TimeSpan.FromSeconds(0.5)), () => files.Rescans >= rescans + 2, "two more intake rescans");
        Assert.Equal(["waiting.png"], host.Files(host.Intake));
        Interlocked.Exchange(ref disk.Available, 10L << 30);
        await host.AdvanceUntilAsync(() => clock.Advance(TimeSpan.FromSeconds(0.1)), () => host.Inputs(host.Archive).Length == 1, "resumed and archived");
        Assert.True(host.Logs.Contains(205));
        await host.AdvanceUntilAsync(() => clock.Advance(TimeSpan.FromSeconds(0.1)), () => Read(host).Status == "ready", "ready again");
    }
}

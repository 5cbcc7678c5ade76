using System.Text.Json;
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
        await using var host = EdgeTestHost.Create(temp.Path, disk: disk);
        await host.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "waiting.png"), SyntheticXrays.Png(2));
        await host.WaitUntilAsync(() => File.Exists(host.HealthFile) && Read(host).Status == "paused", what: "paused");
        Assert.Contains("low disk", Read(host).PausedReason);
        Assert.True(host.Logs.Contains(204));
        await Task.Delay(800); // well past the stable age: still not taken
        Assert.Equal(["waiting.png"], host.Files(host.Intake));
        Interlocked.Exchange(ref disk.Available, 10L << 30);
        await host.WaitUntilAsync(() => host.Inputs(host.Archive).Length == 1, what: "resumed and archived");
        Assert.True(host.Logs.Contains(205));
        await host.WaitUntilAsync(() => Read(host).Status == "ready", what: "ready again");
    }
}

using Microsoft.Extensions.DependencyInjection;
using System.Net.Sockets;
using System.Text;
using MLRFNet.Edge.Health;
using MLRFNet.Edge.Tests.Support;

namespace MLRFNet.Edge.Tests.Health;

/// <summary>sd_notify over a real unix datagram socket bound by the test, standing in for systemd.</summary>
public sealed class SystemdNotifierTests : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly Socket listener = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string socketPath;

    public SystemdNotifierTests()
    {
        socketPath = Path.Combine(temp.Path, "notify.sock");
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
    }

    public void Dispose()
    {
        listener.Dispose();
        temp.Dispose();
    }

    private async Task<string> ReceiveAsync(TimeSpan timeout)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(timeout);
        var n = await listener.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    [Fact]
    public async Task SendsOneDatagramPerMessage()
    {
        using var notifier = new SystemdNotifier(socketPath);
        Assert.True(notifier.IsActive);
        Assert.True(notifier.Notify("READY=1"));
        Assert.Equal("READY=1", await ReceiveAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task AnAbstractSocketNameIsAddressedWithALeadingNul()
    {
        var name = "mlrfnet-test-" + Guid.NewGuid().ToString("N");
        using var abstractListener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        abstractListener.Bind(new UnixDomainSocketEndPoint("\0" + name));
        using var notifier = new SystemdNotifier("@" + name);
        Assert.True(notifier.Notify("WATCHDOG=1"));
        var buffer = new byte[64];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var n = await abstractListener.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        Assert.Equal("WATCHDOG=1", Encoding.UTF8.GetString(buffer, 0, n));
    }

    [Fact]
    public void WithoutNotifySocketNothingIsSent()
    {
        using var notifier = new SystemdNotifier(null);
        Assert.False(notifier.IsActive);
        Assert.False(notifier.Notify("READY=1"));
    }

    [Theory]
    [InlineData("30000000", null, 15.0)]  // WatchdogSec=30 -> keep-alive every 15 s (half, as sd_watchdog_enabled advises)
    [InlineData("0", null, null)]
    [InlineData(null, null, null)]
    [InlineData("30000000", "1", null)]   // meant for another process (PID 1)
    public void WatchdogIntervalIsHalfOfWatchdogUsec(string? usec, string? pid, double? seconds) =>
        Assert.Equal(seconds, SystemdNotifier.WatchdogInterval(usec, pid)?.TotalSeconds);

    [Fact]
    public async Task TheServiceSendsReadyThenWatchdogKeepAlivesThenStopping()
    {
        using var notifier = new SystemdNotifier(socketPath);
        await using var host = EdgeTestHost.Create(temp.Path, notifier: notifier);
        await host.StartAsync();
        var first = await ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("READY=1\nSTATUS=scored 0, quarantined 0, queue 0", first);
        // Keep-alives every 100 ms (the test host's WatchdogSettings) while the pipeline is alive.
        for (var i = 0; i < 3; i++) Assert.StartsWith("WATCHDOG=1\n", await ReceiveAsync(TimeSpan.FromSeconds(5)));
        await host.StopAsync();
        string message;
        do message = await ReceiveAsync(TimeSpan.FromSeconds(5));
        while (message.StartsWith("WATCHDOG=1", StringComparison.Ordinal));
        Assert.Equal("STOPPING=1", message);
    }

    [Fact]
    public async Task KeepAlivesStopWhenScoringHangsWithWorkWaiting()
    {
        using var notifier = new SystemdNotifier(socketPath);
        var hung = new FakeScorerFactory { Configure = s => s.Gate = new ManualResetEventSlim(false) };
        await using var host = EdgeTestHost.Create(temp.Path, notifier: notifier, scorers: hung, services: s =>
            s.AddSingleton(new WatchdogSettings(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(700))));
        await host.StartAsync();
        Assert.StartsWith("READY=1", await ReceiveAsync(TimeSpan.FromSeconds(10)));
        for (var i = 0; i < 6; i++)
            await File.WriteAllBytesAsync(Path.Combine(host.Intake, $"f{i}.png"), SyntheticXrays.Png(i));
        await host.WaitUntilAsync(() => host.Logs.Contains(106), what: "watchdog withheld");
        // Every file claimed: work now waits behind the hung model for good. (Before that, "withheld" can also come
        // from an intake loop slowed by a loaded machine, and keep-alives rightly resume when it catches up.)
        await host.WaitUntilAsync(() => host.Files(host.Intake).Length == 0, what: "all inputs claimed");
        // Drain what was already sent, then nothing more may arrive while the model is stuck.
        while (true)
        {
            try { await ReceiveAsync(TimeSpan.FromMilliseconds(300)); }
            catch (OperationCanceledException) { break; }
        }
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReceiveAsync(TimeSpan.FromMilliseconds(500)));
        hung.Last!.Gate!.Set();
        await host.WaitUntilAsync(() => host.Inputs(host.Archive).Length == 6);
        Assert.StartsWith("WATCHDOG=1", await ReceiveAsync(TimeSpan.FromSeconds(5))); // alive again
    }
}

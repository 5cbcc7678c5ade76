using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using MLRFNet.Edge.Health;
using MLRFNet.Edge.Intake;
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
        Assert.Equal("READY=1", await ReceiveAsync(TimeSpan.FromSeconds(60)));
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
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
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
        var first = await ReceiveAsync(TimeSpan.FromSeconds(60));
        Assert.StartsWith("READY=1\nSTATUS=scored 0, quarantined 0, queue 0", first);
        // Keep-alives every 100 ms (the test host's WatchdogSettings) while the pipeline is alive.
        for (var i = 0; i < 3; i++) Assert.StartsWith("WATCHDOG=1\n", await ReceiveAsync(TimeSpan.FromSeconds(60)));
        await host.StopAsync();
        string message;
        do message = await ReceiveAsync(TimeSpan.FromSeconds(60));
        while (message.StartsWith("WATCHDOG=1", StringComparison.Ordinal));
        Assert.Equal("STOPPING=1", message);
    }

    [Fact]
    public async Task KeepAlivesStopWhenScoringHangsWithWorkWaiting()
    {
        // Every clock in the host is one fake that only this test moves, a watchdog tick at a time. "The model has
        // hung for longer than the liveness timeout with work waiting" is then a fact the test sets up, not a guess
        // from how quickly a loaded machine runs the intake loop; real time only guards against a hang.
        var tick = TimeSpan.FromMilliseconds(100);
        var liveness = TimeSpan.FromMilliseconds(700);
        var clock = new WatchedClock(tick);
        using var notifier = new SystemdNotifier(socketPath);
        var hung = new FakeScorerFactory { Configure = s => s.Gate = new ManualResetEventSlim(false) };
        await using var host = EdgeTestHost.Create(temp.Path, notifier: notifier, scorers: hung, services: s => s
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(new WatchdogSettings(tick, liveness)));
        var queue = host.Host.Services.GetRequiredService<WorkQueue>();
        await host.StartAsync();
        Assert.StartsWith("READY=1", await ReceiveDrivingClockAsync(clock, TimeSpan.FromMilliseconds(20)));
        await clock.WaitForWatchedTimerAsync("the watchdog's first tick after READY");
        Assert.StartsWith("WATCHDOG=1", await TickAfterIntakeStepAsync(host, clock, tick, liveness)); // alive, idle

        // One X-ray, and the model hangs on it. Nothing waits behind it yet: still alive (a long run is not a hang).
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "f0.png"), SyntheticXrays.Png(0));
        await TickUntilAsync(host, clock, tick, () => hung.Last?.Calls >= 1, "the model run on f0 to start");
        var hungSince = clock.GetUtcNow(); // the model run's scoring beat was at or before this
        // Five more arrive and are claimed; they wait behind the hung model run (queued or prepared).
        for (var i = 1; i < 6; i++)
            await File.WriteAllBytesAsync(Path.Combine(host.Intake, $"f{i}.png"), SyntheticXrays.Png(i));
        await TickUntilAsync(host, clock, tick, () => host.Files(host.Intake).Length == 0 && queue.Depth == 5,
            "f1..f5 claimed and waiting behind the model");
        await TickUntilAsync(host, clock, tick, () => clock.GetUtcNow() - hungSince > liveness, "the liveness timeout to pass");

        // From here every tick must withhold the keep-alive. Each tick follows a fresh intake step, so the hung model
        // with work waiting is the only reason to withhold (a service that ignored the queue would send).
        for (var i = 0; i < 10; i++)
        {
            var sent = await TickAfterIntakeStepAsync(host, clock, tick, liveness);
            Assert.True(sent is null, $"tick {i} after the liveness timeout: sent \"{sent}\" while the model hangs with {queue.Depth} inputs waiting");
        }
        Assert.True(host.Logs.Contains(106), "the watchdog never logged that it withheld the keep-alive");

        hung.Last!.Gate!.Set();
        await host.WaitUntilAsync(() => host.Inputs(host.Archive).Length == 6, what: "all six archived after the model recovered");
        Assert.StartsWith("WATCHDOG=1", await TickAfterIntakeStepAsync(host, clock, tick, liveness)); // alive again
    }

    /// <summary>Moves the clock <paramref name="step"/> at a time until a datagram arrives (the watchdog's READY wait).</summary>
    private async Task<string> ReceiveDrivingClockAsync(WatchedClock clock, TimeSpan step)
    {
        var guard = Stopwatch.StartNew();
        while (listener.Available == 0)
        {
            if (guard.Elapsed > WatchedClock.HangGuard) throw new TimeoutException("nothing was sent on the notify socket");
            clock.Advance(step);
            await Task.Delay(10);
        }
        return await ReceiveAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// One watchdog tick: moves the clock one interval on and waits until the watchdog has evaluated it and waits
    /// for the next (its next timer is created after it sent or withheld). A keep-alive is a datagram sent before
    /// that, so it is in the socket's queue by then. Returns the last datagram of the tick, or null if none.
    /// </summary>
    private async Task<string?> TickAsync(WatchedClock clock, TimeSpan tick)
    {
        clock.Advance(tick);
        await clock.WaitForWatchedTimerAsync("the watchdog's next tick");
        string? last = null;
        while (listener.Available > 0) last = await ReceiveAsync(TimeSpan.FromSeconds(30));
        return last;
    }

    /// <summary>
    /// A tick right after the intake loop has stepped at the current service time (its beat then is at most one
    /// interval old at the tick), so the intake loop cannot be the reason a keep-alive is withheld.
    /// </summary>
    private async Task<string?> TickAfterIntakeStepAsync(EdgeTestHost host, WatchedClock clock, TimeSpan tick, TimeSpan liveness)
    {
        await host.WaitUntilAsync(() => host.State.IsAlive(liveness - tick, queueDepth: 0), WatchedClock.HangGuard.TotalSeconds,
            "an intake step at the current service time");
        return await TickAsync(clock, tick);
    }

    /// <summary>Ticks (dropping what is sent) until <paramref name="done"/>; the short real pause only paces the loop.</summary>
    private async Task TickUntilAsync(EdgeTestHost host, WatchedClock clock, TimeSpan tick, Func<bool> done, string what)
    {
        var guard = Stopwatch.StartNew();
        while (!done())
        {
            if (guard.Elapsed > WatchedClock.HangGuard) throw new TimeoutException($"Timed out waiting for {what}. {host.Describe()}");
            await TickAsync(clock, tick);
            await Task.Delay(10);
        }
    }
}

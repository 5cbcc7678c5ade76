using Microsoft.Extensions.Time.Testing;

namespace MLRFNet.Edge.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> for a whole service host that also tells the test each time a one-shot timer of
/// one chosen length is created. The watchdog waits its keep-alive interval with <c>Task.Delay(interval, time)</c>,
/// so a new timer of that length means it has finished the previous tick (sent or withheld its keep-alive) and
/// waits for the next. Service time moves only when the test says, so how fast a loaded machine runs the intake
/// loop cannot change what a tick sees; real time is only a guard against hangs.
/// </summary>
internal sealed class WatchedClock(TimeSpan watchedDelay) : TimeProvider
{
    /// <summary>How long a test waits for the service to react before it calls the service hung.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    private readonly FakeTimeProvider fake = new();
    private readonly SemaphoreSlim watchedTimers = new(0);

    public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

    public override long GetTimestamp() => fake.GetTimestamp();

    public override long TimestampFrequency => fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = fake.CreateTimer(callback, state, dueTime, period);
        if (dueTime == watchedDelay && period == Timeout.InfiniteTimeSpan) watchedTimers.Release();
        return timer;
    }

    /// <summary>Moves service time on, firing every timer that falls due.</summary>
    public void Advance(TimeSpan delta) => fake.Advance(delta);

    /// <summary>Waits until the next timer of the watched length has been created (one per creation).</summary>
    public async Task WaitForWatchedTimerAsync(string what)
    {
        if (!await watchedTimers.WaitAsync(HangGuard))
            throw new TimeoutException($"No {watchedDelay.TotalMilliseconds} ms timer was created within {HangGuard}: {what}.");
    }
}

using System.Collections.Concurrent;
using System.Threading.Channels;
using MLRFNet.Edge.Options;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Intake;

/// <summary>
/// The bounded queue between intake and scoring. Bounded so a flood of files (a USB stick of 5,000 studies) waits
/// on disk in the intake rather than in memory; the intake claims a file only once the queue has room.
/// </summary>
internal sealed class WorkQueue
{
    private readonly Channel<WorkItem> channel;
    private readonly ConcurrentDictionary<string, byte> inFlight = new(StringComparer.Ordinal);
    private int depth;

    public WorkQueue(IOptions<EdgeOptions> options)
    {
        channel = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>
    /// Claimed inputs the model has not started on: queued, or taken by the scoring pipeline and still being prepared
    /// or waiting for the model. The watchdog treats these as work waiting behind the model.
    /// </summary>
    public int Depth => Volatile.Read(ref depth);

    /// <summary>Work-folder paths queued or being scored, so a rescan of the work folder does not queue them twice.</summary>
    public bool IsInFlight(string workPath) => inFlight.ContainsKey(workPath);

    public ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken) => channel.Writer.WaitToWriteAsync(cancellationToken);

    /// <summary>Queues an item; false when the queue is full or completed.</summary>
    public bool TryWrite(WorkItem item)
    {
        if (!inFlight.TryAdd(item.WorkPath, 0)) return true; // already queued
        if (channel.Writer.TryWrite(item))
        {
            Interlocked.Increment(ref depth);
            return true;
        }
        inFlight.TryRemove(item.WorkPath, out _);
        return false;
    }

    /// <summary>No more items (the <c>--once</c> run has claimed everything it will).</summary>
    public void Complete() => channel.Writer.TryComplete();

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => channel.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Takes an item; it still counts in <see cref="Depth"/> until <see cref="ScoringStarted"/>.</summary>
    public bool TryRead(out WorkItem item) => channel.Reader.TryRead(out item!);

    /// <summary>The model is starting on <paramref name="count"/> items taken with <see cref="TryRead"/>.</summary>
    public void ScoringStarted(int count) => Interlocked.Add(ref depth, -count);

    /// <summary>The item's file has left the work folder (or will be retried later): forget it.</summary>
    public void Done(WorkItem item) => inFlight.TryRemove(item.WorkPath, out _);
}

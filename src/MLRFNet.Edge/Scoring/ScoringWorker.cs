using System.Threading.Channels;
using MLRFNet.Edge.Health;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Signals;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Scoring;

/// <summary>
/// Reads the work queue and scores what is there in batches of up to <see cref="InferenceOptions.BatchSize"/>: a
/// batch is what is queued right now, never waited for, so a lone X-ray is reported at once. Three stages run at
/// once on different batches, so the model is not idle while inputs are decoded or reports written:
/// prepare (hash, decode, preprocess) → score (the model) → finish (reports, ledger, archive move). At most
/// <see cref="MaxBatchesInFlight"/> batches are between the queue and their end; the rest wait in the queue (paths
/// only) and, when that is full, on disk in the intake. In <c>--once</c> mode it stops the host when the queue is
/// drained and every batch is finished.
/// </summary>
internal sealed class ScoringWorker(WorkQueue queue, StudyProcessor processor, ServiceState state, IFieldSignals signals,
    IHostApplicationLifetime lifetime, IOptions<InferenceOptions> inference, IOptions<EdgeOptions> edge,
    ILogger<ScoringWorker> logger) : BackgroundService
{
    /// <summary>
    /// One batch per stage. Each holds up to BatchSize decoded films (4 MB per 1024² film as floats, 36 MB at 3000²)
    /// and their tensors, so this is what bounds the pipeline's memory.
    /// </summary>
    public const int MaxBatchesInFlight = 3;

    private readonly SemaphoreSlim slots = new(MaxBatchesInFlight);
    private readonly Lock busyGate = new();
    private int busyBatches;
    private int modelRuns;

    /// <summary>A batch on its way: its claimed items, then what each stage made of them.</summary>
    private sealed class Batch(List<WorkItem> items)
    {
        public List<WorkItem> Items { get; } = items;
        public IReadOnlyList<PreparedStudy> Prepared { get; set; } = [];
        public ScoredBatch Scored { get; set; } = ScoredBatch.Empty;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        // Capacity 1: a stage hands on one batch and goes on with the next; the slots bound the total.
        var toScore = Channel.CreateBounded<Batch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var toFinish = Channel.CreateBounded<Batch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        await Task.WhenAll(
            Task.Run(() => PrepareAsync(toScore.Writer, stoppingToken), CancellationToken.None),
            Task.Run(() => ScoreAsync(toScore.Reader, toFinish.Writer, stoppingToken), CancellationToken.None),
            Task.Run(() => FinishAsync(toFinish.Reader), CancellationToken.None));

        if (edge.Value.Once && !stoppingToken.IsCancellationRequested)
        {
            Log.OnceFinished(logger, state.Scored, state.Unsuitable, state.Quarantined, state.Duplicates);
            lifetime.StopApplication();
        }
    }

    private async Task PrepareAsync(ChannelWriter<Batch> toScore, CancellationToken stoppingToken)
    {
        var batchSize = inference.Value.BatchSize;
        try
        {
            while (await queue.WaitToReadAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                var items = new List<WorkItem>(batchSize);
                while (items.Count < batchSize && queue.TryRead(out var item)) items.Add(item);
                if (items.Count == 0)
                {
                    slots.Release();
                    continue;
                }
                var batch = new Batch(items);
                BatchStarted();
                // Work picked up after idle time counts as progress (the last beat may be hours old); while a model
                // run is in progress it does not, or a hung model would keep the watchdog fed as inputs trickle in.
                if (Volatile.Read(ref modelRuns) == 0) state.ScoringBeat();
                Guard(batch, () => batch.Prepared = processor.Prepare(items));
                await toScore.WriteAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            toScore.TryComplete();
        }
    }

    private async Task ScoreAsync(ChannelReader<Batch> toScore, ChannelWriter<Batch> toFinish, CancellationToken stoppingToken)
    {
        try
        {
            // On stop, no new model run starts; what is prepared but not scored stays in the work folder.
            await foreach (var batch in toScore.ReadAllAsync(stoppingToken))
            {
                queue.ScoringStarted(batch.Items.Count);
                state.ScoringBeat();
                Interlocked.Increment(ref modelRuns);
                try
                {
                    Guard(batch, () => batch.Scored = processor.Score(batch.Prepared));
                }
                finally
                {
                    Interlocked.Decrement(ref modelRuns);
                }
                batch.Prepared = [];
                await toFinish.WriteAsync(batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            toFinish.TryComplete();
        }
    }

    /// <summary>Every batch that was scored is finished, also on stop: its model run is not thrown away.</summary>
    private async Task FinishAsync(ChannelReader<Batch> toFinish)
    {
        await foreach (var batch in toFinish.ReadAllAsync())
        {
            try
            {
                Guard(batch, () => processor.Finish(batch.Scored));
            }
            finally
            {
                foreach (var item in batch.Items) queue.Done(item);
                BatchEnded();
                slots.Release();
            }
        }
    }

    /// <summary>
    /// Last line of defence, not the normal path (StudyProcessor handles file and model errors): log and carry on;
    /// what the stage did not finish stays in the work folder, counts as kept there, and is retried on the next rescan.
    /// </summary>
    private void Guard(Batch batch, Action stage)
    {
        try
        {
            stage();
        }
        catch (Exception e)
        {
            state.Fault = $"unexpected error: {e.Message}";
            Log.UnexpectedBatchError(logger, e);
            batch.Prepared = [];
            batch.Scored = ScoredBatch.Empty;
            // The batch goes no further: its inputs still in the work folder (those not archived or quarantined
            // before the error) are unfinished for this run.
            foreach (var item in batch.Items.Where(processor.StillInWork)) state.OnKeptInWork(item.WorkPath);
        }
    }

    /// <summary>The busy light is on while any batch is between the queue and its end.</summary>
    private void BatchStarted()
    {
        lock (busyGate)
        {
            if (++busyBatches == 1) signals.Set(FieldSignal.Busy, true);
        }
    }

    private void BatchEnded()
    {
        lock (busyGate)
        {
            if (--busyBatches == 0) signals.Set(FieldSignal.Busy, false);
        }
    }

    public override void Dispose()
    {
        slots.Dispose();
        base.Dispose();
    }
}

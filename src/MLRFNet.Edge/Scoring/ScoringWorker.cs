using MLRFNet.Edge.Health;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Scoring;

/// <summary>
/// Reads the work queue and scores what is there in batches of up to <see cref="InferenceOptions.BatchSize"/>: a
/// batch is what is queued right now, never waited for, so a lone X-ray is reported at once. In <c>--once</c> mode
/// it stops the host when the queue is drained.
/// </summary>
internal sealed class ScoringWorker(WorkQueue queue, StudyProcessor processor, ServiceState state,
    IHostApplicationLifetime lifetime, IOptions<InferenceOptions> inference, IOptions<EdgeOptions> edge,
    ILogger<ScoringWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var batchSize = inference.Value.BatchSize;
        var batch = new List<WorkItem>(batchSize);
        try
        {
            while (await queue.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < batchSize && queue.TryRead(out var item)) batch.Add(item);
                if (batch.Count == 0) continue;
                state.ScoringBeat();
                try
                {
                    processor.ProcessBatch(batch);
                }
                catch (Exception e)
                {
                    // Last line of defence, not the normal path (StudyProcessor handles file and model errors): log
                    // and carry on; the batch's files are still in the work folder and are retried on the next rescan.
                    state.Fault = $"unexpected error: {e.Message}";
                    Log.UnexpectedBatchError(logger, e);
                }
                finally
                {
                    foreach (var item in batch) queue.Done(item);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }

        if (edge.Value.Once && !stoppingToken.IsCancellationRequested)
        {
            Log.OnceFinished(logger, state.Scored, state.Quarantined, state.Duplicates);
            lifetime.StopApplication();
        }
    }
}

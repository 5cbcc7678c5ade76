using System.Diagnostics;
using System.Security.Cryptography;
using MLRFNet.Edge.Health;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Signals;
using MLRFNet.Edge.Storage;
using MLRFNet.Imaging;
using MLRFNet.Inference;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Scoring;

/// <summary>
/// Takes a batch of claimed inputs from the work folder to their end: hash, skip content already reported, decode,
/// preprocess, score, write the reports, and only then move the input to the archive. Inputs that cannot be scored
/// go to quarantine with the reason. Input stays in the work folder whenever its end cannot be made durable. The three
/// stages (<see cref="Prepare(IReadOnlyList{WorkItem})"/>, <see cref="Score"/>, <see cref="Finish(ScoredBatch)"/>) run on
/// different batches at once in <see cref="ScoringWorker"/>; each is called by one thread at a time.
/// </summary>
internal sealed class StudyProcessor(ModelHost model, IXrayDecoder decoder, ReportStore reports, Quarantine quarantine,
    ServiceState state, IFieldSignals signals, TimeProvider time, IOptions<EdgeOptions> options, ILogger<StudyProcessor> logger)
{
    private readonly EdgeOptions options = options.Value;
    private readonly DecodeLimits limits = options.Value.DecodeLimits.ToLimits();

    /// <summary>Hashes, decodes and preprocesses a batch; inputs already reported or unreadable end here (archive or quarantine).</summary>
    public IReadOnlyList<PreparedStudy> Prepare(IReadOnlyList<WorkItem> items) => items.Select(Prepare).OfType<PreparedStudy>().ToList();

    /// <summary>Runs the model on a prepared batch; inputs the model fails on go to quarantine.</summary>
    public ScoredBatch Score(IReadOnlyList<PreparedStudy> batch)
    {
        if (batch.Count == 0) return ScoredBatch.Empty;
        var (results, inferenceMs) = ScoreAll(batch);
        var scored = new List<(PreparedStudy, ScoringResult)>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i] is { } result) scored.Add((batch[i], result));
        }
        return new ScoredBatch(scored, inferenceMs, batch.Count);
    }

    /// <summary>Writes each scored study's reports, then moves its input to the archive.</summary>
    public void Finish(ScoredBatch batch)
    {
        foreach (var (study, result) in batch.Studies) Finish(study, result, batch.InferenceMs, batch.BatchSize);
    }

    private PreparedStudy? Prepare(WorkItem item)
    {
        string? sha = null;
        // Already finished by an earlier pass (a rescan of the work folder can race the move out of it).
        if (!File.Exists(item.WorkPath))
        {
            state.OnLeftWork(item.WorkPath);
            return null;
        }
        try
        {
            var clock = Stopwatch.StartNew();
            long bytes;
            using (var stream = new FileStream(item.WorkPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            {
                bytes = stream.Length;
                sha = Convert.ToHexStringLower(SHA256.HashData(stream));
            }
            var hashMs = clock.Elapsed.TotalMilliseconds;

            if (ArchiveIfReported(item, sha)) return null;

            clock.Restart();
            var image = decoder.DecodeFile(item.WorkPath, limits);
            var decodeMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var tensor = decoder.ToTensor(image, model.Manifest.Preprocessing);
            return new PreparedStudy(item, sha, bytes, image, tensor, hashMs, decodeMs, clock.Elapsed.TotalMilliseconds);
        }
        catch (XrayDecodeException e)
        {
            ToQuarantine(item, sha, e.Kind.ToString(), e.Message);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Swallow and log: a disk error must not stop the queue. The input stays in the work folder and the
            // next rescan queues it again.
            FaultKeepInWork(item, e);
            return null;
        }
    }

    private (ScoringResult?[] Results, double InferenceMs) ScoreAll(IReadOnlyList<PreparedStudy> batch)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var results = model.Scorer.Score(batch.Select(p => p.Tensor).ToList(), includeClassMaps: options.MaxHeatmaps > 0);
            if (results.Count != batch.Count)
                throw new InvalidDataException($"The scorer returned {results.Count} results for {batch.Count} inputs.");
            state.Fault = null;
            signals.Set(FieldSignal.Fault, state.PausedReason is not null);
            return (results.ToArray(), clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (batch.Count > 1)
        {
            // One bad input must not sink its batch-mates: score each alone to find it.
            Log.BatchFailed(logger, batch.Count, e.Message);
            var results = new ScoringResult?[batch.Count];
            for (var i = 0; i < batch.Count; i++) results[i] = ScoreAlone(batch[i]);
            return (results, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception e)
        {
            ScoringFailed(batch[0], e);
            return ([null], clock.Elapsed.TotalMilliseconds);
        }
    }

    private ScoringResult? ScoreAlone(PreparedStudy p)
    {
        try
        {
            return model.Scorer.Score([p.Tensor], includeClassMaps: options.MaxHeatmaps > 0).Single();
        }
        catch (Exception e)
        {
            ScoringFailed(p, e);
            return null;
        }
    }

    private void ScoringFailed(PreparedStudy p, Exception e)
    {
        // Any exception from the runtime (ORT throws OnnxRuntimeException, CUDA errors surface as several types):
        // the input goes to quarantine with the message so nothing is retried forever, and the fault LED says a
        // person should look.
        state.Fault = $"model run failed: {e.Message}";
        signals.Set(FieldSignal.Fault, true);
        ToQuarantine(p.Item, p.Sha256, Quarantine.ScoringFailedKind, $"The model run failed: {e.GetType().Name}: {e.Message}");
    }

    private void Finish(PreparedStudy p, ScoringResult result, double inferenceMs, int batchSize)
    {
        try
        {
            // The same content may have been reported meanwhile by an earlier input still being finished when this
            // one was prepared (the stages overlap): archive it as a duplicate rather than write a second report.
            if (ArchiveIfReported(p.Item, p.Sha256)) return;
            var clock = Stopwatch.StartNew();
            var manifest = model.Manifest;
            var reportId = UniqueNames.ReportBase(p.Item.OriginalName, p.Sha256);
            var timings = new ReportTimings(Round(p.HashMs), Round(p.DecodeMs), Round(p.PreprocessMs), Round(inferenceMs), batchSize, 0);
            var report = ReportBuilder.Build(reportId, time.GetUtcNow(), p.Item.OriginalName, p.Sha256, p.Bytes, p.Image,
                manifest, model.ModelSha256, model.Scorer.ExecutionProvider, result, timings, htmlName: null, state.Degraded);
            var html = HtmlReportWriter.Render(report, p.Image, result, manifest.Preprocessing, options.MaxHeatmaps);
            report = report with { Timings = timings with { ReportMs = Round(clock.Elapsed.TotalMilliseconds) } };
            var jsonName = reports.Commit(report, html);
            // The report is durable (fsynced, renamed, ledger flushed): only now may the input leave the work folder.
            signals.Set(FieldSignal.Alert, report.Findings.Count > 0);
            var archived = DurableFile.MoveNoOverwrite(p.Item.WorkPath, options.ArchiveFolder, p.Item.OriginalName);
            state.OnScored(p.Item.WorkPath, report.Findings.Count > 0);
            Log.Scored(logger, p.Item.OriginalName, report.Findings.Count,
                report.Findings.Count > 0 ? report.Findings[0].Label : "-", jsonName, Path.GetFileName(archived));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            FaultKeepInWork(p.Item, e);
        }
    }

    /// <summary>
    /// True when the content already has a report (an earlier run, an earlier drop of the same image): the input is
    /// archived and counted as a duplicate. A report found on disk without its ledger line (a crash between the two)
    /// gets the line now.
    /// </summary>
    private bool ArchiveIfReported(WorkItem item, string sha)
    {
        var (prior, reportJson, priorReport) = reports.Find(item.OriginalName, sha);
        if (prior == PriorReport.None) return false;
        if (prior == PriorReport.ReportWithoutLedgerLine) reports.CompleteLedger(priorReport!, reportJson!);
        var archived = DurableFile.MoveNoOverwrite(item.WorkPath, options.ArchiveFolder, item.OriginalName);
        state.OnDuplicate(item.WorkPath);
        Log.AlreadyReported(logger, item.OriginalName, reportJson!, Path.GetFileName(archived));
        return true;
    }

    private void ToQuarantine(WorkItem item, string? sha, string kind, string reason)
    {
        try
        {
            var moved = quarantine.Move(item.WorkPath, item.OriginalName, sha, kind, reason);
            state.OnQuarantined(item.WorkPath);
            Log.Quarantined(logger, item.OriginalName, kind, reason, Path.GetFileName(moved));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            FaultKeepInWork(item, e);
        }
    }

    /// <summary>
    /// Gives up on <paramref name="item"/> for now: it stays in the work folder (never deleted) and counts as unfinished
    /// until a retry ends it, so a later successful batch that clears the fault does not hide it from <c>--once</c>.
    /// </summary>
    private void FaultKeepInWork(WorkItem item, Exception e)
    {
        state.OnKeptInWork(item.WorkPath);
        state.Fault = $"could not finish {item.OriginalName}: {e.Message}";
        signals.Set(FieldSignal.Fault, true);
        Log.KeptInWork(logger, item.OriginalName, e.Message);
    }

    private static double Round(double ms) => Math.Round(ms, 3);
}

/// <summary>A claimed input, hashed, decoded and preprocessed: ready for the model.</summary>
internal sealed record PreparedStudy(WorkItem Item, string Sha256, long Bytes, XrayImage Image, float[] Tensor, double HashMs,
    double DecodeMs, double PreprocessMs);

/// <summary>
/// The studies of one model run that got a result (those it failed on are already in quarantine), the run's time and
/// how many images it scored together.
/// </summary>
internal sealed record ScoredBatch(IReadOnlyList<(PreparedStudy Study, ScoringResult Result)> Studies, double InferenceMs, int BatchSize)
{
    public static readonly ScoredBatch Empty = new([], 0, 0);
}

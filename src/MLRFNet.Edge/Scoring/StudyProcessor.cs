using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using MLRFNet.Edge.Health;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Signals;
using MLRFNet.Edge.Storage;
using MLRFNet.Edge.Suitability;
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
    ArchiveNames archive, DurableFile durable, DiskWatermark disk, ServiceState state, IFieldSignals signals, TimeProvider time,
    IOptions<EdgeOptions> options, ILogger<StudyProcessor> logger, UnsuitableStudies unsuitable, Pacs.Outbox outbox)
{
    private readonly EdgeOptions options = options.Value;
    private readonly DecodeLimits limits = options.Value.DecodeLimits.ToLimits();

    /// <summary>
    /// Scored studies whose report could not be written (disk full, low-disk watermark): the model's result is kept
    /// here by work path, so the retry only writes. Bounded (each keeps its decoded film for the HTML page, up to
    /// 36 MB at 3000 px): past <see cref="MaxHeld"/> a result is not kept and that study is scored again.
    /// </summary>
    private readonly ConcurrentDictionary<string, HeldStudy> held = new(StringComparer.Ordinal);

    public const int MaxHeld = 8;

    /// <summary>True while <paramref name="item"/>'s file is still in the work folder (raw names included).</summary>
    public bool StillInWork(WorkItem item) => durable.Ops.Inspect(item.WorkPath).Kind != EntryKind.Missing;

    /// <summary>Hashes, decodes and preprocesses a batch; inputs already reported or unreadable end here (archive or quarantine).</summary>
    public IReadOnlyList<PreparedStudy> Prepare(IReadOnlyList<WorkItem> items) => items.Select(Prepare).OfType<PreparedStudy>().ToList();

    /// <summary>Runs the model on a prepared batch; inputs the model fails on go to quarantine.</summary>
    public ScoredBatch Score(IReadOnlyList<PreparedStudy> batch)
    {
        if (batch.Count == 0) return ScoredBatch.Empty;
        // Studies whose result was kept after a failed write skip the model.
        var scored = batch.Where(p => p.Held is not null).Select(p => (p, p.Held!.Result)).ToList();
        var toScore = batch.Where(p => p.Held is null).ToList();
        if (toScore.Count == 0) return new ScoredBatch(scored, 0, 0);
        var (results, inferenceMs) = ScoreAll(toScore);
        for (var i = 0; i < toScore.Count; i++)
        {
            if (results[i] is { } result) scored.Add((toScore[i], result));
        }
        return new ScoredBatch(scored, inferenceMs, toScore.Count);
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
        if (durable.Ops.Inspect(item.WorkPath).Kind == EntryKind.Missing)
        {
            state.OnLeftWork(item.WorkPath);
            held.TryRemove(item.WorkPath, out _);
            return null;
        }
        try
        {
            var clock = Stopwatch.StartNew();
            byte[] data;
            // Regular files only, links not followed, a FIFO never blocks; the size is checked on the open handle
            // before a byte is read, so a huge or endless file is refused without hashing it.
            using (var handle = durable.Ops.OpenRegular(item.WorkPath, out var size))
            {
                if (size == 0) throw new XrayDecodeException(DecodeErrorKind.Empty, "The file is empty (0 bytes). Re-copy or re-export it.");
                if (size > limits.MaxFileBytes)
                    throw new XrayDecodeException(DecodeErrorKind.TooLarge,
                        $"The file is {size} bytes, above Edge:DecodeLimits:MaxFileBytes ({limits.MaxFileBytes}); it was not read.");
                data = FileSystemOps.ReadAll(handle, size);
            }
            sha = Convert.ToHexStringLower(SHA256.HashData(data));
            var hashMs = clock.Elapsed.TotalMilliseconds;

            if (held.TryGetValue(item.WorkPath, out var kept) && kept.Study.Sha256 == sha)
                return kept.Study with { Item = item, Held = kept };
            if (ArchiveIfReported(item, sha)) return null;

            clock.Restart();
            var image = decoder.Decode(data, limits);
            var decodeMs = clock.Elapsed.TotalMilliseconds;
            // Suitability before scoring: an image the model was not trained on gets a short report and is archived.
            var verdict = unsuitable.Check(image);
            if (!verdict.Suitable)
            {
                unsuitable.Finish(item, sha, data.Length, image, verdict, hashMs, decodeMs);
                return null;
            }
            clock.Restart();
            var tensor = decoder.ToTensor(image, model.Manifest.Preprocessing);
            return new PreparedStudy(item, sha, data.Length, image, tensor, hashMs, decodeMs, clock.Elapsed.TotalMilliseconds, verdict);
        }
        catch (XrayDecodeException e)
        {
            ToQuarantine(item, sha, e.Kind.ToString(), e.Message);
            return null;
        }
        catch (FileOpenException e) when (e.Errno is Posix.ELOOP or Posix.EINVAL)
        {
            // Became a link or a pipe after it was claimed: the entry itself goes aside, nothing is followed or read.
            var kind = durable.Ops.Inspect(item.WorkPath).Kind == EntryKind.Symlink ? Quarantine.SymbolicLinkKind : Quarantine.NotRegularFileKind;
            ToQuarantine(item, null, kind, e.Message);
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
        if (p.Held is { } kept) (inferenceMs, batchSize) = (kept.InferenceMs, kept.BatchSize);
        string? archiveName = null;
        try
        {
            // The same content may have been reported meanwhile by an earlier input still being finished when this
            // one was prepared (the stages overlap): archive it as a duplicate rather than write a second report.
            if (ArchiveIfReported(p.Item, p.Sha256))
            {
                held.TryRemove(p.Item.WorkPath, out _);
                return;
            }
            // The watermark is checked before each commit, not only when a file is taken: files already in progress
            // must not push free space under it.
            if (!disk.HasRoom())
            {
                Hold(p, result, inferenceMs, batchSize, state.PausedReason ?? "low disk");
                return;
            }
            var clock = Stopwatch.StartNew();
            var manifest = model.Manifest;
            var reportId = UniqueNames.ReportBase(p.Item.OriginalName, p.Sha256);
            archiveName = archive.Reserve(p.Item.OriginalName);
            var timings = new ReportTimings(Round(p.HashMs), Round(p.DecodeMs), Round(p.PreprocessMs), Round(inferenceMs), batchSize, 0);
            var report = ReportBuilder.Build(reportId, time.GetUtcNow(), RawNames.Display(p.Item.OriginalName), p.Sha256, p.Bytes, p.Image,
                manifest, model.ModelSha256, model.Scorer.ExecutionProvider, result, timings, htmlName: null, state.Degraded)
                with { ArchiveName = RawNames.Display(archiveName), Suitability = UnsuitableStudies.ReportOf(p.Suitability) };
            var html = HtmlReportWriter.Render(report, p.Image, result, manifest.Preprocessing, options.MaxHeatmaps);
            report = report with { Timings = timings with { ReportMs = Round(clock.Elapsed.TotalMilliseconds) } };
            var dicomResults = DicomOut.DicomResults.Build(report, p.Image, result, manifest.Preprocessing);
            var jsonName = reports.Commit(report, html, dicomResults);
            held.TryRemove(p.Item.WorkPath, out _);
            // After the commit only the SR and SC go to the PACS outbox (idempotent; a failure here is retried through
            // the committed report, see ArchiveIfReported).
            outbox.Enqueue([.. dicomResults.Select(f => f.Name)]);
            // The report is durable (fsynced, renamed, ledger flushed): only now may the input leave the work folder.
            signals.Set(FieldSignal.Alert, report.Findings.Count > 0);
            var archived = archive.MoveTo(p.Item.WorkPath, archiveName, p.Item.OriginalName);
            archiveName = null;
            state.OnScored(p.Item.WorkPath, report.Findings.Count > 0);
            Log.Scored(logger, RawNames.Display(p.Item.OriginalName), report.Findings.Count,
                report.Findings.Count > 0 ? report.Findings[0].Label : "-", jsonName, RawNames.Display(Path.GetFileName(archived)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Hold(p, result, inferenceMs, batchSize, null);
            FaultKeepInWork(p.Item, e);
        }
        finally
        {
            if (archiveName is not null) archive.Release(archiveName);
        }
    }

    /// <summary>Keeps a scored study's result for the retry of its write; it stays in the work folder meanwhile.</summary>
    private void Hold(PreparedStudy p, ScoringResult result, double inferenceMs, int batchSize, string? pausedReason)
    {
        if (held.Count < MaxHeld || held.ContainsKey(p.Item.WorkPath))
            held[p.Item.WorkPath] = new HeldStudy(p with { Tensor = [], Held = null }, result, inferenceMs, batchSize);
        if (pausedReason is null) return;
        state.OnKeptInWork(p.Item.WorkPath);
        Log.ReportHeld(logger, RawNames.Display(p.Item.OriginalName), pausedReason);
    }

    /// <summary>
    /// True when the content already has a report (an earlier run, an earlier drop of the same image): the input is
    /// archived and counted as a duplicate. A report found on disk without its ledger line (a crash between the two)
    /// gets the line now. The input the report was written for goes under the archive name the report records.
    /// </summary>
    private bool ArchiveIfReported(WorkItem item, string sha)
    {
        var (prior, reportJson, priorReport) = reports.Find(item.OriginalName, sha);
        if (prior == PriorReport.None) return false;
        if (prior == PriorReport.ReportWithoutLedgerLine) reports.CompleteLedger(priorReport!, reportJson!);
        // A crash or disk error between the commit and the outbox: queue the report's DICOM results now (no-op when queued or sent).
        outbox.Enqueue(priorReport?.DicomResults);
        // The input a report was written for (a crash came between the commit and the move; after a restart its work
        // name may carry a suffix) goes under the name the report records, when that is still free.
        var recorded = priorReport is { ArchiveName: { } a } && UniqueNames.IsSameOrSuffixed(RawNames.Display(item.OriginalName), priorReport.Input.Name)
            ? RawNames.FromDisplay(a) : null;
        var name = archive.Reserve(item.OriginalName, recorded);
        var archived = archive.MoveTo(item.WorkPath, name, item.OriginalName);
        if (recorded is not null && Path.GetFileName(archived) != recorded)
            Log.ArchiveNameTaken(logger, RawNames.Display(recorded), reportJson!, RawNames.Display(item.OriginalName), RawNames.Display(Path.GetFileName(archived)));
        state.OnDuplicate(item.WorkPath);
        Log.AlreadyReported(logger, RawNames.Display(item.OriginalName), reportJson!, RawNames.Display(Path.GetFileName(archived)));
        return true;
    }

    private void ToQuarantine(WorkItem item, string? sha, string kind, string reason)
    {
        try
        {
            var moved = quarantine.Move(item.WorkPath, item.OriginalName, sha, kind, reason);
            state.OnQuarantined(item.WorkPath);
            held.TryRemove(item.WorkPath, out _);
            Log.Quarantined(logger, RawNames.Display(item.OriginalName), kind, reason, RawNames.Display(Path.GetFileName(moved)));
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
        state.Fault = $"could not finish {RawNames.Display(item.OriginalName)}: {e.Message}";
        signals.Set(FieldSignal.Fault, true);
        Log.KeptInWork(logger, RawNames.Display(item.OriginalName), e.Message);
    }

    private static double Round(double ms) => Math.Round(ms, 3);
}

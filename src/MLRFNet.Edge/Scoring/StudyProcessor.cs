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
/// go to quarantine with the reason. Input stays in the work folder whenever its end cannot be made durable.
/// </summary>
internal sealed class StudyProcessor(ModelHost model, IXrayDecoder decoder, ReportStore reports, Quarantine quarantine,
    ServiceState state, IFieldSignals signals, TimeProvider time, IOptions<EdgeOptions> options, ILogger<StudyProcessor> logger)
{
    private readonly EdgeOptions options = options.Value;
    private readonly DecodeLimits limits = options.Value.DecodeLimits.ToLimits();

    private sealed record Prepared(WorkItem Item, string Sha256, long Bytes, XrayImage Image, float[] Tensor, double HashMs, double DecodeMs, double PreprocessMs);

    /// <summary>Processes a batch; returns the items whose files left the work folder.</summary>
    public void ProcessBatch(IReadOnlyList<WorkItem> items)
    {
        var prepared = new List<Prepared>(items.Count);
        foreach (var item in items)
        {
            var p = Prepare(item);
            if (p is not null) prepared.Add(p);
        }
        if (prepared.Count == 0) return;

        signals.Set(FieldSignal.Busy, true);
        try
        {
            var (results, inferenceMs) = Score(prepared);
            for (var i = 0; i < prepared.Count; i++)
            {
                if (results[i] is { } result) Finish(prepared[i], result, inferenceMs, prepared.Count);
            }
        }
        finally
        {
            signals.Set(FieldSignal.Busy, false);
        }
    }

    private Prepared? Prepare(WorkItem item)
    {
        string? sha = null;
        // Already finished by an earlier pass (a rescan of the work folder can race the move out of it).
        if (!File.Exists(item.WorkPath)) return null;
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

            var (prior, reportJson, priorReport) = reports.Find(item.OriginalName, sha);
            if (prior != PriorReport.None)
            {
                if (prior == PriorReport.ReportWithoutLedgerLine) reports.CompleteLedger(priorReport!, reportJson!);
                var archived = DurableFile.MoveNoOverwrite(item.WorkPath, options.ArchiveFolder, item.OriginalName);
                state.OnDuplicate();
                Log.AlreadyReported(logger, item.OriginalName, reportJson!, Path.GetFileName(archived));
                return null;
            }

            clock.Restart();
            var image = decoder.DecodeFile(item.WorkPath, limits);
            var decodeMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var tensor = decoder.ToTensor(image, model.Manifest.Preprocessing);
            return new Prepared(item, sha, bytes, image, tensor, hashMs, decodeMs, clock.Elapsed.TotalMilliseconds);
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

    private (ScoringResult?[] Results, double InferenceMs) Score(List<Prepared> batch)
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

    private ScoringResult? ScoreAlone(Prepared p)
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

    private void ScoringFailed(Prepared p, Exception e)
    {
        // Any exception from the runtime (ORT throws OnnxRuntimeException, CUDA errors surface as several types):
        // the input goes to quarantine with the message so nothing is retried forever, and the fault LED says a
        // person should look.
        state.Fault = $"model run failed: {e.Message}";
        signals.Set(FieldSignal.Fault, true);
        ToQuarantine(p.Item, p.Sha256, Quarantine.ScoringFailedKind, $"The model run failed: {e.GetType().Name}: {e.Message}");
    }

    private void Finish(Prepared p, ScoringResult result, double inferenceMs, int batchSize)
    {
        try
        {
            var clock = Stopwatch.StartNew();
            var manifest = model.Manifest;
            var reportId = UniqueNames.ReportBase(p.Item.OriginalName, p.Sha256);
            var timings = new ReportTimings(Round(p.HashMs), Round(p.DecodeMs), Round(p.PreprocessMs), Round(inferenceMs), batchSize, 0);
            var report = ReportBuilder.Build(reportId, time.GetUtcNow(), p.Item.OriginalName, p.Sha256, p.Bytes, p.Image,
                manifest, model.ModelSha256, model.Scorer.ExecutionProvider, result, timings, htmlName: null);
            var html = HtmlReportWriter.Render(report, p.Image, result, manifest.Preprocessing, options.MaxHeatmaps);
            report = report with { Timings = timings with { ReportMs = Round(clock.Elapsed.TotalMilliseconds) } };
            var jsonName = reports.Commit(report, html);
            // The report is durable (fsynced, renamed, ledger flushed): only now may the input leave the work folder.
            signals.Set(FieldSignal.Alert, report.Findings.Count > 0);
            var archived = DurableFile.MoveNoOverwrite(p.Item.WorkPath, options.ArchiveFolder, p.Item.OriginalName);
            state.OnScored(report.Findings.Count > 0);
            Log.Scored(logger, p.Item.OriginalName, report.Findings.Count,
                report.Findings.Count > 0 ? report.Findings[0].Label : "-", jsonName, Path.GetFileName(archived));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            FaultKeepInWork(p.Item, e);
        }
    }

    private void ToQuarantine(WorkItem item, string? sha, string kind, string reason)
    {
        try
        {
            var moved = quarantine.Move(item.WorkPath, item.OriginalName, sha, kind, reason);
            state.OnQuarantined();
            Log.Quarantined(logger, item.OriginalName, kind, reason, Path.GetFileName(moved));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            FaultKeepInWork(item, e);
        }
    }

    private void FaultKeepInWork(WorkItem item, Exception e)
    {
        state.Fault = $"could not finish {item.OriginalName}: {e.Message}";
        signals.Set(FieldSignal.Fault, true);
        Log.KeptInWork(logger, item.OriginalName, e.Message);
    }

    private static double Round(double ms) => Math.Round(ms, 3);
}

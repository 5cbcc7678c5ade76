using System.Diagnostics;
using System.Net;
using MLRFNet.Edge.Health;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Scoring;
using MLRFNet.Edge.Storage;
using MLRFNet.Imaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Suitability;

/// <summary>
/// Ends a study that fails <see cref="SuitabilityRules"/>: it is a valid file, so it is archived, never quarantined,
/// beside a short report (JSON + HTML, committed like any report, with a ledger line of outcome "unsuitable") that
/// says why it was not scored; it is never given to the model. The same content dropped again finds the ledger line
/// and is archived as a duplicate, like a scored study.
/// </summary>
internal sealed class UnsuitableStudies(ModelHost model, ReportStore reports, ArchiveNames archive, DiskWatermark disk,
    ServiceState state, TimeProvider time, IOptions<SuitabilityOptions> rules, ILogger<UnsuitableStudies> logger)
{
    private readonly SuitabilityOptions rules = rules.Value;

    public SuitabilityVerdict Check(XrayImage image) => SuitabilityRules.Check(image, rules);

    /// <summary>
    /// Reports and archives an unsuitable study, with the same commit point as a scored one: the JSON report (and its
    /// ledger line) is durable before the input leaves the work folder. I/O errors propagate to the caller, which keeps
    /// the input in work; below the disk watermark it stays there too and is decided again at the next rescan.
    /// </summary>
    public void Finish(WorkItem item, string sha256, long bytes, XrayImage image, SuitabilityVerdict verdict, double hashMs, double decodeMs)
    {
        var name = RawNames.Display(item.OriginalName);
        if (!disk.HasRoom())
        {
            state.OnKeptInWork(item.WorkPath);
            Log.ReportHeld(logger, name, state.PausedReason ?? "low disk");
            return;
        }
        var clock = Stopwatch.StartNew();
        var archiveName = archive.Reserve(item.OriginalName);
        try
        {
            var report = new StudyReport
            {
                ReportId = UniqueNames.ReportBase(item.OriginalName, sha256),
                CreatedUtc = time.GetUtcNow(),
                Outcome = Outcomes.Unsuitable,
                Suitability = ReportOf(verdict),
                Input = ReportBuilder.InputOf(name, sha256, bytes, image),
                Dicom = ReportBuilder.DicomOf(image),
                Model = ReportBuilder.ModelOf(model.Manifest, model.ModelSha256, model.Scorer.ExecutionProvider),
                Timings = new ReportTimings(Math.Round(hashMs, 3), Math.Round(decodeMs, 3), 0, 0, 0, 0),
                Classes = [],
                Findings = [],
                ArchiveName = RawNames.Display(archiveName),
            };
            report = report with { Timings = report.Timings with { ReportMs = Math.Round(clock.Elapsed.TotalMilliseconds, 3) } };
            var jsonName = reports.Commit(report, Page(report));
            var archived = archive.MoveTo(item.WorkPath, archiveName, item.OriginalName);
            archiveName = null;
            state.OnUnsuitable(item.WorkPath);
            Log.Unsuitable(logger, name, verdict.Rule ?? "-", verdict.Reason ?? "-", jsonName, RawNames.Display(Path.GetFileName(archived)));
        }
        finally
        {
            if (archiveName is not null) archive.Release(archiveName);
        }
    }

    public static ReportSuitability ReportOf(SuitabilityVerdict verdict) => new(
        !verdict.Checked ? "not checked" : verdict.Suitable ? "suitable" : Outcomes.Unsuitable,
        verdict.Rule, verdict.Reason, verdict.TagsVerified ? "verified" : "unverified");

    private static string Page(StudyReport report)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Not scored: {E(report.Input.Name)}</title></head>
            <body style="font-family: sans-serif; max-width: 48em; margin: 2em auto">
            <h1>Not scored: image unsuitable for this model</h1>
            <p><strong>{E(report.Suitability?.Reason)}</strong></p>
            <p>Input {E(report.Input.Name)} ({report.Input.Width}x{report.Input.Height}, {E(report.Input.Format)}), SHA-256 {E(report.Input.Sha256)}.
            Model {E(report.Model.Name)} {E(report.Model.Version)} was not run on it. The input was archived unchanged.</p>
            <p>{E(report.Notice)}</p>
            </body></html>
            """;
    }
}

using MLRFNet.Core.Preprocessing;
using MLRFNet.Edge.Reports;
using MLRFNet.Imaging;
using MLRFNet.Inference;

namespace MLRFNet.Edge.DicomOut;

/// <summary>One result object to write beside the report: its file name in the reports folder and its bytes.</summary>
internal sealed record ResultFile(string Name, byte[] Content);

/// <summary>
/// The DICOM results of a scored DICOM input: <c>&lt;report id&gt;.sr.dcm</c> (Comprehensive SR) and
/// <c>&lt;report id&gt;.sc.dcm</c> (Secondary Capture of the heatmap). Their Series and SOP Instance UIDs derive from
/// the input's SHA-256, so a retried write produces the same objects. None for PNG/JPEG inputs, nor for a DICOM file
/// lacking the Study, Series, SOP Instance or SOP Class UID needed to reference it (said in the log).
/// </summary>
internal static class DicomResults
{
    public const string SrSuffix = ".sr.dcm";
    public const string ScSuffix = ".sc.dcm";

    public static IReadOnlyList<ResultFile> Build(StudyReport report, XrayImage image, ScoringResult result, PreprocessingSpec spec)
    {
        if (!StructuredReport.CanReference(image.Dicom)) return [];
        var source = image.Dicom!;
        var sha = report.Input.Sha256;
        var sr = StructuredReport.Build(report, source, DicomUids.Derived(sha, "sr-series"), DicomUids.Derived(sha, "sr-instance"));
        var labels = report.Classes.Select(c => c.Label).ToList();
        var (rgb, width, height, _) = SecondaryCapture.Render(report, image, result, spec, labels);
        var sc = SecondaryCapture.Build(report, source, rgb, width, height, DicomUids.Derived(sha, "sc-series"), DicomUids.Derived(sha, "sc-instance"));
        return [new(report.ReportId + SrSuffix, sr), new(report.ReportId + ScSuffix, sc)];
    }

    /// <summary>The report id a result file belongs to, or null when <paramref name="name"/> is not one.</summary>
    public static string? ReportIdOf(string name) =>
        name.EndsWith(SrSuffix, StringComparison.Ordinal) ? name[..^SrSuffix.Length]
        : name.EndsWith(ScSuffix, StringComparison.Ordinal) ? name[..^ScSuffix.Length] : null;
}

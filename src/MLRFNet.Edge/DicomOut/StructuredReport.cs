using System.Globalization;
using MLRFNet.Edge.Reports;
using MLRFNet.Imaging;

namespace MLRFNet.Edge.DicomOut;

/// <summary>
/// The study's result as a DICOM Comprehensive SR (PS3.3 A.35.3): same patient and study as the source image (Patient
/// and General Study attributes copied), a new series and instance, the source image in the Current Requested
/// Procedure Evidence Sequence and as an IMAGE content item. The content tree: the notice (TEXT), the source image,
/// the model identity (algorithm name and version, precision, SHA-256), the flagged findings as TEXT, then one
/// CONTAINER per class with its probability and threshold (NUM, no units) and whether it is flagged. Codes are DCM
/// and LOINC where one fits and the private scheme <see cref="Scheme"/> otherwise.
/// </summary>
internal static class StructuredReport
{
    public const string Scheme = "99MLRFNET";
    public const string SeriesNumber = "9901";
    public const string SeriesDescription = "MLRFNet decision support (SR)";

    /// <summary>True when <paramref name="dicom"/> names the source instance well enough to be referenced.</summary>
    public static bool CanReference(DicomMetadata? dicom) =>
        dicom is { StudyInstanceUid: not null, SeriesInstanceUid: not null, SopInstanceUid: not null, Patient.SopClassUid: not null };

    public static byte[] Build(StudyReport report, DicomMetadata source, string seriesUid, string instanceUid)
    {
        var now = report.CreatedUtc.UtcDateTime;
        var (date, time) = (now.ToString("yyyyMMdd", CultureInfo.InvariantCulture), now.ToString("HHmmss", CultureInfo.InvariantCulture));
        var sourceRef = new DicomDataset()
            .Text(0x0008, 0x1150, "UI", source.Patient!.SopClassUid)
            .Text(0x0008, 0x1155, "UI", source.SopInstanceUid);
        var evidence = new DicomDataset()
            .Sequence(0x0008, 0x1115, new DicomDataset()
                .Sequence(0x0008, 0x1199, sourceRef)
                .Text(0x0020, 0x000E, "UI", source.SeriesInstanceUid))
            .Text(0x0020, 0x000D, "UI", source.StudyInstanceUid);

        var model = report.Model;
        var items = new List<DicomDataset>
        {
            TextItem(Code("121106", "DCM", "Comment"), report.Notice),
            new DicomDataset().Text(0x0040, 0xA010, "CS", "CONTAINS").Text(0x0040, 0xA040, "CS", "IMAGE")
                .Sequence(0x0040, 0xA043, Code("121112", "DCM", "Source of Measurement"))
                .Sequence(0x0008, 0x1199, new DicomDataset()
                    .Text(0x0008, 0x1150, "UI", source.Patient.SopClassUid)
                    .Text(0x0008, 0x1155, "UI", source.SopInstanceUid)),
            TextItem(Code("111001", "DCM", "Algorithm Name"), model.Name),
            TextItem(Code("111003", "DCM", "Algorithm Version"), model.Version),
            TextItem(Code("PRECISION", Scheme, "Model precision"), model.Precision),
            TextItem(Code("MODELSHA256", Scheme, "Model SHA-256"), model.Sha256),
            TextItem(Code("FINDINGS", Scheme, "Flagged findings"),
                report.Findings.Count == 0 ? "None flagged" : string.Join(", ", report.Findings.Select(f => $"{f.Label} {Probability(f.Probability)}"))),
        };
        // A report scored by a degraded model (signature or QA problem, fallback model) says so, as the JSON does.
        if (report.ModelDegraded is { } degraded) items.Insert(6, TextItem(Code("MODELSTATUS", Scheme, "Model degraded"), degraded));
        for (var i = 0; i < report.Classes.Count; i++)
        {
            var c = report.Classes[i];
            items.Add(new DicomDataset().Text(0x0040, 0xA010, "CS", "CONTAINS").Text(0x0040, 0xA040, "CS", "CONTAINER")
                .Text(0x0040, 0xA050, "CS", "SEPARATE")
                .Sequence(0x0040, 0xA043, Code($"CLASS{i}", Scheme, c.Label))
                .Sequence(0x0040, 0xA730,
                    NumItem(Code("PROBABILITY", Scheme, "Model probability"), c.Probability),
                    NumItem(Code("THRESHOLD", Scheme, "Flagging threshold"), c.Threshold),
                    TextItem(Code("FLAGGED", Scheme, "Flagged"), c.Flagged ? "Yes" : "No")));
        }

        var sr = DicomCommon.PatientStudy(source, report)
            .Text(0x0008, 0x0016, "UI", DicomUids.ComprehensiveSr)
            .Text(0x0008, 0x0018, "UI", instanceUid)
            .Text(0x0008, 0x0023, "DA", date)
            .Text(0x0008, 0x0033, "TM", time)
            // The private coding scheme is declared (SOP Common, PS3.3 C.12.1.1.4) so a reader can tell whose codes they are.
            .Sequence(0x0008, 0x0110, new DicomDataset()
                .Text(0x0008, 0x0102, "SH", Scheme)
                .Text(0x0008, 0x0115, "ST", "MLRFNet.Edge result codes (classes, probability, threshold, flag, model identity)")
                .Text(0x0008, 0x0116, "ST", "MLRFNet.Edge"))
            .Text(0x0008, 0x0060, "CS", "SR")
            .Text(0x0008, 0x103E, "LO", SeriesDescription)
            .Sequence(0x0008, 0x1111)
            .Text(0x0020, 0x000E, "UI", seriesUid)
            .Text(0x0020, 0x0011, "IS", SeriesNumber)
            .Text(0x0020, 0x0013, "IS", "1")
            .Text(0x0040, 0xA040, "CS", "CONTAINER")
            .Sequence(0x0040, 0xA043, Code("18748-4", "LN", "Diagnostic Imaging Report"))
            .Text(0x0040, 0xA050, "CS", "SEPARATE")
            .Sequence(0x0040, 0xA372)
            .Sequence(0x0040, 0xA375, evidence)
            .Text(0x0040, 0xA491, "CS", "COMPLETE")
            .Text(0x0040, 0xA493, "CS", "UNVERIFIED")
            .Sequence(0x0040, 0xA730, [.. items]);
        return sr.ToPart10(DicomUids.ComprehensiveSr, instanceUid);
    }

    /// <summary>A probability as a DS value (at most 16 characters).</summary>
    public static string Probability(float p) => Math.Round(p, 6).ToString("0.######", CultureInfo.InvariantCulture);

    private static DicomDataset Code(string value, string scheme, string meaning) => new DicomDataset()
        .Text(0x0008, 0x0100, "SH", value)
        .Text(0x0008, 0x0102, "SH", scheme)
        .Text(0x0008, 0x0104, "LO", meaning.Length > 64 ? meaning[..64] : meaning);

    private static DicomDataset TextItem(DicomDataset concept, string text) => new DicomDataset()
        .Text(0x0040, 0xA010, "CS", "CONTAINS").Text(0x0040, 0xA040, "CS", "TEXT")
        .Sequence(0x0040, 0xA043, concept)
        .Text(0x0040, 0xA160, "UT", text);

    private static DicomDataset NumItem(DicomDataset concept, float value) => new DicomDataset()
        .Text(0x0040, 0xA010, "CS", "CONTAINS").Text(0x0040, 0xA040, "CS", "NUM")
        .Sequence(0x0040, 0xA043, concept)
        .Sequence(0x0040, 0xA300, new DicomDataset()
            .Sequence(0x0040, 0x08EA, Code("1", "UCUM", "no units"))
            .Text(0x0040, 0xA30A, "DS", Probability(value)));
}

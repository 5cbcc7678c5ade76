using MLRFNet.Core.Manifest;
using MLRFNet.Imaging;
using MLRFNet.Inference;

namespace MLRFNet.Edge.Reports;

/// <summary>Turns one model output into the report record: per-class scores against the manifest's thresholds.</summary>
internal static class ReportBuilder
{
    public static IReadOnlyList<ClassScore> ClassScores(ModelManifest manifest, ScoringResult result)
    {
        if (result.Probabilities.Length != manifest.Labels.Length)
            throw new InvalidDataException($"The scorer returned {result.Probabilities.Length} probabilities for {manifest.Labels.Length} labels.");
        var scores = new ClassScore[manifest.Labels.Length];
        for (var c = 0; c < scores.Length; c++)
        {
            var p = result.Probabilities[c];
            var t = manifest.ThresholdOf(c);
            // At or above the threshold is a finding: thresholds are chosen as "flag when p >= t" (Youden / F1 cut).
            scores[c] = new ClassScore(manifest.Labels[c], p, t, p >= t);
        }
        return scores;
    }

    /// <summary>Flagged classes, highest probability first; ties keep label order so reports are reproducible.</summary>
    public static IReadOnlyList<ClassScore> Findings(IReadOnlyList<ClassScore> classes) =>
        classes.Select((s, i) => (s, i)).Where(x => x.s.Flagged)
            .OrderByDescending(x => x.s.Probability).ThenBy(x => x.i).Select(x => x.s).ToArray();

    public static StudyReport Build(string reportId, DateTimeOffset createdUtc, string inputName, string sha256, long bytes,
        XrayImage image, ModelManifest manifest, string modelSha256, string provider, ScoringResult result,
        ReportTimings timings, string? htmlName, string? modelDegraded = null)
    {
        var classes = ClassScores(manifest, result);
        return new StudyReport
        {
            ReportId = reportId,
            CreatedUtc = createdUtc,
            Input = InputOf(inputName, sha256, bytes, image),
            Dicom = DicomOf(image),
            Model = ModelOf(manifest, modelSha256, provider),
            ModelDegraded = modelDegraded,
            Timings = timings,
            Classes = classes,
            Findings = Findings(classes),
            HtmlReport = htmlName,
        };
    }

    public static ReportInput InputOf(string inputName, string sha256, long bytes, XrayImage image) =>
        new(inputName, sha256, bytes, image.Format.ToString(), image.Width, image.Height, image.SourceBitDepth);

    public static ReportDicom? DicomOf(XrayImage image) => image.Dicom is { } d
        ? new ReportDicom(d.PatientId, d.StudyInstanceUid, d.SeriesInstanceUid, d.SopInstanceUid, d.Modality,
            d.BodyPartExamined, d.ViewPosition, d.PhotometricInterpretation, d.TransferSyntaxUid, d.NumberOfFrames)
        : null;

    public static ReportModel ModelOf(ModelManifest manifest, string modelSha256, string provider) =>
        new(manifest.ModelName, manifest.ModelVersion, manifest.Architecture, manifest.Precision.ToString(), modelSha256,
            manifest.LabelSetName, provider);
}

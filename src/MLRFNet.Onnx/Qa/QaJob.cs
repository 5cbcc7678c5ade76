using MLRFNet.Core.Manifest;
using MLRFNet.Onnx.Quantization.Jobs;

namespace MLRFNet.Onnx.Qa;

/// <summary>
/// The accuracy gate as one job: checks that the candidate was made from the reference (lineage by SHA-256) and that
/// both are precisions of one model (same preprocessing and labels), scores both on the same labelled images through
/// the candidate's preprocessing and the box's own scorer (<see cref="QualityGate"/>, <see cref="GateScoring"/>),
/// writes report.html and report.json, and records the verdict in the candidate's manifest (signed when a key is
/// given). Every check runs before anything is written: a refused run leaves the manifest untouched.
/// </summary>
public sealed class QaJob(QaJobOptions options, IProgress<JobEvent>? progress = null)
{
    public QaJobOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    public QaJobResult Run()
    {
        var o = Options;
        var referencePath = Path.GetFullPath(o.ReferencePath);
        var candidateFile = ManifestPolicy.IntegrityOnly.Load(Path.GetFullPath(o.CandidatePath));
        var candidateManifest = candidateFile.Manifest;
        var referenceFile = Reference(referencePath, candidateManifest);

        // A gate judged on images the model trained on (or that chose its checkpoint) would flatter it.
        if (o.RunFolder is not null) Imaging.Datasets.SplitGuard.ForJudging(Path.GetFullPath(o.RunFolder), o.Images.Items.Select(i => i.ImageIndex));
        var folder = Path.GetFullPath(o.ReportFolder);
        foreach (var file in new[] { "report.html", "report.json" }.Select(f => Path.Combine(folder, f)))
            if (File.Exists(file)) throw new IOException($"{file} already exists; choose another --report folder (nothing is overwritten).");
        var gateOptions = o.GateOptions(candidateManifest.Precision);
        if (!o.Images.Labels.Labels.SequenceEqual(candidateManifest.Labels))
            throw new InvalidDataException(
                $"--labels has classes [{string.Join(", ", o.Images.Labels.Labels)}] but the model predicts [{string.Join(", ", candidateManifest.Labels)}]; judge it on data with its own label set.");

        var spec = candidateManifest.Preprocessing;
        var evaluation = DatasetTensors.LoadEvaluationSet(o.Images, spec, DatasetTensors.Cache(spec, o.CacheFolder), o.ImagesName, progress);
        var outcome = QualityGate.Run(referenceFile, candidateFile, evaluation, gateOptions);
        var (html, json) = QaReportWriter.Write(outcome, folder);
        var written = ManifestWriter.Update(candidateFile.ManifestPath, candidateFile.Sha256, m => m with { Qa = outcome.Report.ToQaResult() }, o.SignKey);
        return new QaJobResult(outcome, html, json, candidateFile.ManifestPath, written);
    }

    /// <summary>
    /// The reference, checked against the candidate's lineage. Without a manifest of its own (an FP32 model the
    /// candidate's manifest names by SHA-256), it is described by the candidate's manifest at FP32, which is what the
    /// lineage check established it to be.
    /// </summary>
    private static VerifiedModelFile Reference(string referencePath, ModelManifest candidate)
    {
        if (!File.Exists(referencePath)) throw new FileNotFoundException($"--reference file not found: {referencePath}", referencePath);
        var manifestPath = ModelManifest.ManifestPathFor(referencePath);
        var reference = File.Exists(manifestPath) ? ManifestPolicy.IntegrityOnly.Load(referencePath) : null;
        var referenceSha = reference?.Sha256 ?? ModelManifest.Sha256OfFile(referencePath);
        if (candidate.ReferenceModelSha256 is { } madeFrom && !string.Equals(madeFrom, referenceSha, StringComparison.Ordinal))
            throw new InvalidDataException(
                $"--candidate was made from a model with SHA-256 {madeFrom} (its manifest says), but --reference {referencePath} has {referenceSha}; compare it with the FP32 model it was quantized from.");
        if (reference is not null)
        {
            if (!reference.Manifest.Preprocessing.Equals(candidate.Preprocessing))
                throw new InvalidDataException("--reference and --candidate have different preprocessing in their manifests; they are not two precisions of one model.");
            if (!reference.Manifest.Labels.SequenceEqual(candidate.Labels))
                throw new InvalidDataException("--reference and --candidate predict different labels according to their manifests.");
            return reference;
        }
        var bytes = File.ReadAllBytes(referencePath);
        var described = candidate with
        {
            Precision = ModelPrecision.Fp32, OnnxSha256 = referenceSha, ReferenceModelSha256 = null, CalibrationData = null,
            QuantizationScheme = null, Qa = null, Signature = null,
        };
        return new VerifiedModelFile(referencePath, manifestPath, bytes, described, referenceSha);
    }
}

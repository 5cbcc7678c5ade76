using System.Globalization;
using MLRFNet.Cli.Commands;
using MLRFNet.Core.Manifest;
using MLRFNet.Imaging.Datasets;
using MLRFNet.Training.Evaluation;

namespace MLRFNet.Cli.Reports;

/// <summary>
/// Per-class decision thresholds chosen by Youden's J (the paper's Table 7 operating points) on an evaluation run,
/// written into an ONNX model's manifest together with the data set they were chosen on (name and fingerprint, so
/// <c>mlrfnet qa</c> can warn when it judges on the same images), and signed with the given key. A class whose AUC is
/// undefined, or whose best J is not above 0 (no threshold separates better than chance), keeps 0.5. The model file
/// is untouched, so its SHA-256 still matches.
/// </summary>
internal static class ThresholdWriter
{
    public static float[] Choose(EvaluationRun run) =>
        run.Metrics.Classes.Select(c => c.Youden is { J: > 0, Threshold: >= 0f and <= 1f } y ? y.Threshold : 0.5f).ToArray();

    /// <summary>The record of <paramref name="dataset"/>: its labels file's name and a fingerprint of its images and labels.</summary>
    public static DataSetRecord DataSet(string name, XrayDataset dataset) =>
        DataSetRecord.Of(name, dataset.Items.Select(i => (i.ImagePath, (IReadOnlyList<float>)i.Targets)).ToArray());

    public static void Write(string onnxPath, EvaluationRun run, DataSetRecord chosenOn, SigningKey? key, TextWriter log)
    {
        var model = ManifestPolicy.IntegrityOnly.Load(onnxPath);
        var thresholds = Choose(run);
        var manifest = ManifestWriter.Update(model.ManifestPath, model.Sha256, m => m with { Thresholds = thresholds, ThresholdsChosenOn = chosenOn }, key);
        log.WriteLine("thresholds written to " + model.ManifestPath + " (" + SignKeyOption.Describe(manifest) + "; chosen on " + chosenOn + "): " +
                      string.Join(", ", manifest.Labels.Zip(thresholds, (l, t) => l + " " + t.ToString("F3", CultureInfo.InvariantCulture))));
    }
}

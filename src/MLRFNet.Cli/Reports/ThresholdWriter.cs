using System.Globalization;
using MLRFNet.Core.Manifest;
using MLRFNet.Training.Evaluation;

namespace MLRFNet.Cli.Reports;

/// <summary>
/// Per-class decision thresholds chosen by Youden's J (the paper's Table 7 operating points) on an evaluation run,
/// written into an ONNX model's manifest. A class whose AUC is undefined, or whose best J is not above 0 (no
/// threshold separates better than chance), keeps 0.5. The model file is untouched, so its SHA-256 still matches.
/// </summary>
internal static class ThresholdWriter
{
    public static float[] Choose(EvaluationRun run) =>
        run.Metrics.Classes.Select(c => c.Youden is { J: > 0, Threshold: >= 0f and <= 1f } y ? y.Threshold : 0.5f).ToArray();

    public static void Write(string onnxPath, EvaluationRun run, TextWriter log)
    {
        var manifestPath = ModelManifest.ManifestPathFor(onnxPath);
        if (!File.Exists(manifestPath))
            throw new ArgumentException($"--write-thresholds needs an ONNX model with a manifest; {manifestPath} does not exist.");
        var manifest = ModelManifest.Load(manifestPath);
        var thresholds = Choose(run);
        manifest = manifest with { Thresholds = thresholds };
        manifest.Validate().Save(manifestPath);
        log.WriteLine("thresholds written to " + manifestPath + ": " +
                      string.Join(", ", manifest.Labels.Zip(thresholds, (l, t) => l + " " + t.ToString("F3", CultureInfo.InvariantCulture))));
    }
}

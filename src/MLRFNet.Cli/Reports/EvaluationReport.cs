using System.Globalization;
using System.Text;
using System.Text.Json;
using MLRFNet.Core.Json;
using MLRFNet.Training.Evaluation;
using MLRFNet.Onnx.Qa;
using ScottPlot;

namespace MLRFNet.Cli.Reports;

/// <summary>What <c>mlrfnet evaluate</c> and <c>mlrfnet train</c> write and print about an <see cref="EvaluationRun"/>.</summary>
internal static class EvaluationReport
{
    /// <summary>metrics.json: model, image count, timings, and the full per-class evaluation.</summary>
    public static void WriteJson(EvaluationRun run, string path)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("model", run.Model);
            writer.WriteNumber("images", run.ImageIndices.Count);
            writer.WriteNumber("forwardSeconds", run.ForwardSeconds);
            writer.WriteNumber("totalSeconds", run.TotalSeconds);
            writer.WriteStartArray("unreadable");
            foreach (var u in run.Unreadable) writer.WriteStringValue(u);
            writer.WriteEndArray();
            writer.WritePropertyName("metrics");
            writer.WriteRawValue(JsonSerializer.Serialize(run.Metrics, CoreJsonContext.Default.MultilabelEvaluation));
            writer.WriteEndObject();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, stream.ToArray());
    }

    /// <summary>One ROC curve per defined class on one chart (ScottPlot), with each class's AUC in the legend.</summary>
    public static void WriteRocPng(EvaluationRun run, string path)
    {
        var plot = RocPlot.Frame($"ROC: {run.Model}, {run.ImageIndices.Count} images, mean AUC {Format(run.Metrics.MeanAuc)}",
            "1 - specificity (false positive rate)", "sensitivity (true positive rate)");
        var classes = run.Dataset.Labels.Count;
        for (var c = 0; c < classes; c++)
        {
            var evaluation = run.Metrics.Classes[c];
            if (evaluation.Auc is not { } auc) continue;
            var scores = new float[run.ImageIndices.Count];
            var labels = new int[scores.Length];
            for (var i = 0; i < scores.Length; i++)
            {
                scores[i] = run.Probabilities[i * classes + c];
                labels[i] = run.Labels[i * classes + c];
            }
            RocPlot.AddCurve(plot, Core.Metrics.RocCurve.Compute(scores, labels), $"{evaluation.Label} {auc:F3}");
        }
        plot.SavePng(path, 900, 800);
    }

    public static void PrintSummary(EvaluationRun run, TextWriter output)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{run.Model}: {run.ImageIndices.Count} images in {run.TotalSeconds:F1} s (model forward {run.ForwardSeconds:F1} s)");
        text.AppendLine("class                  pos   AUC     95% CI            sens   spec   F1");
        foreach (var c in run.Metrics.Classes)
        {
            var ci = c.AucInterval is { IsDefined: true } i ? $"[{i.Lower:F3}, {i.Upper:F3}]" : "";
            var t = c.AtGivenThreshold;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{c.Label,-22} {c.Positives,4}  {Format(c.Auc),-6}  {ci,-16}  {Format(t?.Sensitivity),-5}  {Format(t?.Specificity),-5}  {Format(t?.F1),-5}");
        }
        var mean = run.Metrics.MeanAucInterval is { IsDefined: true } m ? $" [{m.Lower:F3}, {m.Upper:F3}]" : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"mean AUC {Format(run.Metrics.MeanAuc)}{mean} over {run.Metrics.DefinedClasses} defined classes");
        foreach (var u in run.Unreadable) text.AppendLine("unreadable (skipped): " + u);
        output.Write(text.ToString());
    }

    private static string Format(double? value) => value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "n/a";
}

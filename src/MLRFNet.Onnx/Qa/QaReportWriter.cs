using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MLRFNet.Core.Metrics;

namespace MLRFNet.Onnx.Qa;

/// <summary>
/// Writes the gate's outcome as <c>report.html</c> (self-contained: summary, numbers table, ROC curves of both models
/// per class as embedded PNGs) and <c>report.json</c> (the same numbers, source-generated JSON).
/// </summary>
public static class QaReportWriter
{
    public static (string Html, string Json) Write(QualityGateOutcome outcome, string directory)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "report.json");
        var html = Path.Combine(directory, "report.html");
        File.WriteAllText(json, ToJson(outcome.Report));
        File.WriteAllText(html, ToHtml(outcome));
        return (html, json);
    }

    public static string ToJson(QualityGateReport report) => JsonSerializer.Serialize(report, QaJsonContext.Default.QualityGateReport);

    public static string ToHtml(QualityGateOutcome outcome)
    {
        var r = outcome.Report;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>MLRFNet QA report</title><style>")
            .Append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f0f0f0}td.l,th.l{text-align:left}")
            .Append(".pass{background:#d8f5d0}.fail{background:#f9d0d0}.banner{font-size:1.4em;padding:.5em 1em;display:inline-block}")
            .Append("figure{display:inline-block;margin:.5em}</style></head><body>");
        html.Append("<h1>Quantization QA report</h1>");
        html.Append($"<div class=\"banner {(r.Passed ? "pass" : "fail")}\">{r.Verdict.ToString().ToUpperInvariant()}: candidate {r.CandidatePrecision} vs reference</div>");
        if (r.Failures.Count > 0)
            html.Append("<ul>").Append(string.Concat(r.Failures.Select(f => $"<li>{E(f)}</li>"))).Append("</ul>");
        if (r.Warnings.Count > 0)
            html.Append("<ul>").Append(string.Concat(r.Warnings.Select(w => $"<li><strong>Warning:</strong> {E(w)}</li>"))).Append("</ul>");

        html.Append("<h2>Summary</h2><table>");
        Row(html, "Reference", $"{r.ReferencePath} (SHA-256 {r.ReferenceSha256})");
        Row(html, "Candidate", $"{r.CandidatePath} (SHA-256 {r.CandidateSha256})");
        Row(html, "Evaluation data", $"{r.EvaluationData}: {r.Images} images, label set {r.LabelSetName}, output '{r.OutputName}'"
            + (r.EvaluationSet is { } set ? $", fingerprint {set.Fingerprint}" : ""));
        Row(html, "Judged classes", $"{string.Join(", ", r.JudgedClasses)} (at least {r.Thresholds.MinPositives} positives); not judged: {(r.NotJudgedClasses.Count == 0 ? "none" : string.Join(", ", r.NotJudgedClasses))}");
        Row(html, "Flag changes", $"{r.FlagChanges} of {r.Images} studies ({r.FlagChangeShare:P1}, Wilson 95% CI [{r.FlagChangeShareLower:P1}, {r.FlagChangeShareUpper:P1}]) change their set of flagged findings at the deployed thresholds (limit {r.Thresholds.MaxFlagChangeShare:P1})");
        Row(html, "Mean AUC drop, 95% CI upper end", $"{N(r.MeanAucDropUpper)} (limit {N(r.Thresholds.MaxMeanAucDrop)}; the non-inferiority figure)");
        Row(html, "Gate", $"mean AUC drop <= {N(r.Thresholds.MaxMeanAucDrop)}, every class drop <= {N(r.Thresholds.MaxClassAucDrop)}"
            + (r.Thresholds.ClassResolutionPairs > 0 ? $" or {r.Thresholds.ClassResolutionPairs} swapped positive/negative pair(s), 1/(P·N) each, where that is more" : ""));
        Row(html, "Mean AUC", $"reference {N(r.ReferenceMeanAuc)}, candidate {N(r.CandidateMeanAuc)} over {r.DefinedClasses} defined classes");
        Row(html, "Mean ΔAUC (candidate - reference)", $"{N(r.MeanAucDifference)}, paired bootstrap 95% CI [{N(r.MeanAucDifferenceLower)}, {N(r.MeanAucDifferenceUpper)}]");
        Row(html, "Worst class drop", $"{N(r.WorstClassAucDrop)} ({r.WorstClass})");
        Row(html, "Max |Δ probability|", N(r.MaxAbsProbabilityDifference));
        Row(html, "Decision agreement", $"{r.DecisionAgreement:P2} (mean over classes at the manifest thresholds)");
        Row(html, "Latency, batch 1 (median)", $"reference {r.ReferenceLatencyMs:F2} ms, candidate {r.CandidateLatencyMs:F2} ms ({r.LatencyRuns} runs, ONNX Runtime CPU)");
        Row(html, "Checked", r.CheckedUtc.ToString("u", CultureInfo.InvariantCulture));
        html.Append("</table>");

        html.Append("<h2>Per class</h2><table><tr><th class=\"l\">Class</th><th>Pos</th><th>Neg</th><th>AUC ref</th><th>AUC cand</th>")
            .Append("<th>ΔAUC</th><th>95% CI</th><th>DeLong p</th><th>Threshold</th><th>Agreement</th><th>Max |Δp|</th><th>Gate</th></tr>");
        foreach (var c in r.Classes)
        {
            html.Append($"<tr class=\"{(c.Passed ? "" : "fail")}\"><td class=\"l\">{E(c.Label)}</td><td>{c.Positives}</td><td>{c.Negatives}</td>")
                .Append($"<td>{N(c.ReferenceAuc)}</td><td>{N(c.CandidateAuc)}</td><td>{N(c.AucDifference)}</td>")
                .Append($"<td>[{N(c.AucDifferenceLower)}, {N(c.AucDifferenceUpper)}]</td><td>{N(c.DeLongPValue)}</td>")
                .Append($"<td>{c.DecisionThreshold.ToString("F3", CultureInfo.InvariantCulture)}</td><td>{c.DecisionAgreement:P1}</td>")
                .Append($"<td>{N(c.MaxAbsProbabilityDifference)}</td><td>{(c.Passed ? "ok" : "FAIL")}</td></tr>");
        }
        html.Append("</table><h2>ROC curves</h2>");
        for (var c = 0; c < r.Classes.Count; c++)
        {
            var reference = RocCurve.Compute(outcome.ReferenceScores.ScoresOf(c), outcome.ReferenceScores.LabelsOf(c));
            var candidate = RocCurve.Compute(outcome.CandidateScores.ScoresOf(c), outcome.CandidateScores.LabelsOf(c));
            var png = RocPlot.Png(r.Classes[c].Label, reference, candidate, r.Classes[c].ReferenceAuc, r.Classes[c].CandidateAuc);
            html.Append($"<figure><img alt=\"ROC curves of {E(r.Classes[c].Label)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"></figure>");
        }
        html.Append("</body></html>");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append($"<tr><th class=\"l\">{E(name)}</th><td class=\"l\">{E(value)}</td></tr>");

    private static string N(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "n/a";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

using System.Globalization;
using System.Text;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Imaging;
using MLRFNet.Inference;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using static System.Net.WebUtility;

namespace MLRFNet.Edge.Reports;

/// <summary>
/// The page a clinician opens: one self-contained HTML file (no scripts, no network: images are base64 PNG) with the
/// decision-support banner first, the findings, every class's score, and a heatmap per flagged class.
/// </summary>
internal static class HtmlReportWriter
{
    /// <param name="maxDisplaySide">Largest side of the embedded images; only measurements pass another value.</param>
    public static string Render(StudyReport report, XrayImage image, ScoringResult result, PreprocessingSpec spec, int maxHeatmaps,
        int maxDisplaySide = HeatmapRenderer.MaxDisplaySide)
    {
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>X-ray report ").Append(HtmlEncode(report.Input.Name)).Append("</title><style>")
            .Append("body{font-family:sans-serif;margin:1.5em;max-width:1100px;color:#111}")
            .Append(".banner{background:#b00020;color:#fff;padding:.8em 1em;font-size:1.15em;font-weight:bold;border-radius:4px}")
            .Append("table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #999;padding:.25em .6em;text-align:left}")
            .Append("tr.flag td{background:#ffe3e3;font-weight:bold}figure{display:inline-block;margin:.5em}")
            .Append("img{max-width:512px;border:1px solid #444}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}")
            .Append("</style></head><body>\n");
        html.Append("<div class=\"banner\" role=\"alert\">DECISION SUPPORT ONLY, NOT A DIAGNOSIS. ")
            .Append(HtmlEncode(StudyReport.DecisionSupportNotice)).Append("</div>\n");

        html.Append("<h1>").Append(HtmlEncode(report.Input.Name)).Append("</h1>\n<dl>");
        Item(html, "Report", report.ReportId);
        Item(html, "Created (UTC)", report.CreatedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        Item(html, "Input SHA-256", report.Input.Sha256);
        Item(html, "Image", $"{report.Input.Format}, {report.Input.Width} x {report.Input.Height}, {report.Input.BitDepth}-bit");
        if (report.Dicom is { } d)
        {
            Item(html, "Patient ID", d.PatientId);
            Item(html, "Study UID", d.StudyInstanceUid);
            Item(html, "Series UID", d.SeriesInstanceUid);
            Item(html, "SOP Instance UID", d.SopInstanceUid);
            Item(html, "Modality / body part / view", $"{d.Modality} / {d.BodyPartExamined} / {d.ViewPosition}");
        }
        Item(html, "Model", $"{report.Model.Name} {report.Model.Version} ({report.Model.Architecture}, {report.Model.Precision}) on {report.Model.ExecutionProvider}");
        Item(html, "Model SHA-256", report.Model.Sha256);
        html.Append("</dl>\n");

        html.Append("<h2>Findings above threshold</h2>\n");
        if (report.Findings.Count == 0) html.Append("<p>No class reached its threshold.</p>\n");
        else ScoreTable(html, report.Findings);

        html.Append("<h2>Images</h2>\n");
        using var display = HeatmapRenderer.DisplayImage(image, maxDisplaySide);
        var heatmaps = maxHeatmaps > 0 && result.ClassMaps is { Count: > 0 } ? report.Findings.Take(maxHeatmaps).ToArray() : [];
        var figures = EncodeFigures(display, image, report, result, spec, heatmaps);
        Figure(html, figures[0], "X-ray as scored");
        for (var i = 0; i < heatmaps.Length; i++)
            Figure(html, figures[i + 1], $"{heatmaps[i].Label}: where the class score map is highest (red) within the region the model saw");
        if (heatmaps.Length > 0 && report.Findings.Count > maxHeatmaps)
            html.Append("<p>Heatmaps are shown for the ").Append(maxHeatmaps).Append(" most probable findings (Edge:MaxHeatmaps).</p>\n");

        html.Append("<h2>All classes</h2>\n");
        ScoreTable(html, report.Classes);
        html.Append("<p>").Append(HtmlEncode(report.Notice)).Append("</p>\n</body></html>\n");
        return html.ToString();
    }

    private static void Item(StringBuilder html, string term, string? value) =>
        html.Append("<dt>").Append(HtmlEncode(term)).Append("</dt><dd>").Append(HtmlEncode(value ?? "-")).Append("</dd>");

    private static void ScoreTable(StringBuilder html, IReadOnlyList<ClassScore> scores)
    {
        html.Append("<table><tr><th>Class</th><th>Probability</th><th>Threshold</th><th>Flag</th></tr>\n");
        foreach (var s in scores)
        {
            html.Append(s.Flagged ? "<tr class=\"flag\">" : "<tr>")
                .Append("<td>").Append(HtmlEncode(s.Label)).Append("</td>")
                .Append("<td>").Append(s.Probability.ToString("0.000", CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td>").Append(s.Threshold.ToString("0.000", CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td>").Append(s.Flagged ? "FLAGGED" : "").Append("</td></tr>\n");
        }
        html.Append("</table>\n");
    }

    private static void Figure(StringBuilder html, string pngBase64, string caption) =>
        html.Append("<figure><img alt=\"").Append(HtmlEncode(caption)).Append("\" src=\"data:image/png;base64,")
            .Append(pngBase64).Append("\"><figcaption>").Append(HtmlEncode(caption)).Append("</figcaption></figure>\n");

    /// <summary>
    /// Base64 PNGs of the X-ray (index 0) and of each heatmap overlay, in order. PNG deflate is most of a report's
    /// cost (a 1024² RGB overlay took ~0.4 s at the default level on the 2-core dev box), and the figures are
    /// independent, so they are encoded in parallel: the scoring thread is otherwise the only busy one while a
    /// report is written. Each task only reads <paramref name="display"/> and writes its own slot.
    /// </summary>
    private static string[] EncodeFigures(Image<L8> display, XrayImage image, StudyReport report, ScoringResult result,
        PreprocessingSpec spec, ClassScore[] heatmaps)
    {
        var figures = new string[1 + heatmaps.Length];
        var labels = report.Classes.Select(c => c.Label).ToList();
        Parallel.For(0, figures.Length, i =>
        {
            if (i == 0)
            {
                figures[0] = ToPngBase64(display);
                return;
            }
            using var overlay = HeatmapRenderer.Overlay(display, image.Width, image.Height, spec, result.ClassMaps!, labels.IndexOf(heatmaps[i - 1].Label));
            figures[i] = ToPngBase64(overlay);
        });
        return figures;
    }

    /// <summary>
    /// Deflate at its fastest level: still lossless (the same pixels), ~3x faster than the default level 6 on X-ray
    /// overlays for ~5% larger files (1.67 vs 1.59 MB for a 1024² phantom overlay).
    /// </summary>
    private static readonly PngEncoder fastPng = new() { CompressionLevel = PngCompressionLevel.BestSpeed };

    private static string ToPngBase64(Image image)
    {
        using var stream = new MemoryStream();
        image.SaveAsPng(stream, fastPng);
        return Convert.ToBase64String(stream.GetBuffer(), 0, (int)stream.Length);
    }
}

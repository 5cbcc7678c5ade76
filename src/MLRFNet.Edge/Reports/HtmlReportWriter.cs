using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Imaging;
using MLRFNet.Imaging.Png;
using MLRFNet.Inference;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static System.Net.WebUtility;

namespace MLRFNet.Edge.Reports;

/// <summary>
/// The page a clinician opens: one self-contained HTML file (no scripts, no network: images are base64 PNG) with the
/// decision-support banner first, the findings, every class's score, and a heatmap per flagged class.
/// The X-ray is encoded and embedded once, as the background of the <c>.xr</c> box in the page's style sheet (printed
/// too: <c>print-color-adjust: exact</c>); every figure is such a box, and a heatmap figure lays a small
/// semi-transparent overlay image over the model's crop region by CSS (percentages of the box), so neither a blended
/// full-size image nor a second copy of the X-ray is made.
/// </summary>
internal static class HtmlReportWriter
{
    /// <param name="maxDisplaySide">Largest side of the embedded images; only measurements pass another value.</param>
    public static string Render(StudyReport report, XrayImage image, ScoringResult result, PreprocessingSpec spec, int maxHeatmaps,
        int maxDisplaySide = HeatmapRenderer.MaxDisplaySide)
    {
        var (display, displayWidth, displayHeight) = HeatmapRenderer.DisplayPixels(image, maxDisplaySide);
        var xray = Convert.ToBase64String(PngWriter.Gray8(display, displayWidth, displayHeight));
        var html = new StringBuilder(xray.Length + 32 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>X-ray report ").Append(HtmlEncode(report.Input.Name)).Append("</title><style>")
            .Append("body{font-family:sans-serif;margin:1.5em;max-width:1100px;color:#111}")
            .Append(".banner{background:#b00020;color:#fff;padding:.8em 1em;font-size:1.15em;font-weight:bold;border-radius:4px}")
            .Append("table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #999;padding:.25em .6em;text-align:left}")
            .Append("tr.flag td{background:#ffe3e3;font-weight:bold}")
            // A figure never gets wider than the page (less its margins), so on a narrow screen the X-ray box shrinks.
            .Append("figure{display:inline-block;margin:.5em;vertical-align:top;max-width:calc(100% - 1em)}")
            // .xr is exactly the X-ray's box, showing the X-ray as its background: its display size, shrunk to the
            // figure (less its 1px borders) on a narrow page, the aspect ratio kept by a ::before whose top padding (a
            // percentage of the box's width) gives the height (works in any browser, unlike aspect-ratio). The
            // overlay's percentages refer to this box.
            .Append(".xr{position:relative;display:block;line-height:0;border:1px solid #444;overflow:hidden;")
            .Append("width:").Append(displayWidth).Append("px;max-width:calc(100% - 2px);")
            .Append("background-image:url(data:image/png;base64,").Append(xray).Append(");background-size:100% 100%;background-repeat:no-repeat;")
            .Append("-webkit-print-color-adjust:exact;print-color-adjust:exact}")
            .Append(".xr::before{content:\"\";display:block;padding-top:")
            .Append((100.0 * displayHeight / displayWidth).ToString("0.####", CultureInfo.InvariantCulture)).Append("%}")
            .Append(".xr img.ov{position:absolute;max-width:none;height:auto}")
            .Append("dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}")
            .Append("</style></head><body>\n");
        // The notice once (it opens with "Decision support only, not a diagnosis."); the banner style makes it stand out.
        html.Append("<div class=\"banner\" role=\"alert\">").Append(HtmlEncode(StudyReport.DecisionSupportNotice)).Append("</div>\n");
        if (report.ModelDegraded is { } degraded)
            html.Append("<div class=\"banner\" role=\"alert\">DEGRADED: scored by the fallback model. ").Append(HtmlEncode(degraded)).Append("</div>\n");

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
            if (d.NumberOfFrames > 1) Item(html, "Frames", $"the first of {d.NumberOfFrames} frames was scored");
        }
        if (report.Suitability is { } s)
            Item(html, "Suitability", s.Tags == "verified" ? s.Result
                : $"{s.Result}; modality, body part and view unverified ({report.Input.Format} carries no DICOM tags)");
        Item(html, "Model", $"{report.Model.Name} {report.Model.Version} ({report.Model.Architecture}, {report.Model.Precision}) on {report.Model.ExecutionProvider}");
        Item(html, "Model SHA-256", report.Model.Sha256);
        html.Append("</dl>\n");

        html.Append("<h2>Findings above threshold</h2>\n");
        if (report.Findings.Count == 0) html.Append("<p>No class reached its threshold.</p>\n");
        else ScoreTable(html, report.Findings);

        html.Append("<h2>Images</h2>\n");
        const string xrayCaption = "X-ray as scored";
        html.Append("<figure>");
        XrayBox(html, xrayCaption);
        html.Append("</div><figcaption>").Append(xrayCaption).Append("</figcaption></figure>\n");
        var heatmaps = maxHeatmaps > 0 && result.ClassMaps is { Count: > 0 } ? report.Findings.Take(maxHeatmaps).ToArray() : [];
        if (heatmaps.Length > 0)
        {
            var region = HeatmapRenderer.CropRegion(image.Width, image.Height, spec);
            // Percent of the X-ray's width (left, width) and height (top, height): the displayed X-ray is the input
            // scaled, so the same fractions hold at any size the browser shows it.
            var box = string.Create(CultureInfo.InvariantCulture,
                $"left:{100.0 * region.X / image.Width:0.###}%;top:{100.0 * region.Y / image.Height:0.###}%;" +
                $"width:{100.0 * region.Width / image.Width:0.###}%;height:{100.0 * region.Height / image.Height:0.###}%");
            var labels = report.Classes.Select(c => c.Label).ToList();
            foreach (var finding in heatmaps)
            {
                string overlay;
                using (var png = HeatmapRenderer.OverlayImage(result.ClassMaps!, labels.IndexOf(finding.Label))) overlay = ToPngBase64(png);
                var caption = $"{finding.Label}: where the class score map is highest (red) within the region the model saw";
                html.Append("<figure>");
                XrayBox(html, xrayCaption);
                html.Append("<img class=\"ov\" alt=\"").Append(HtmlEncode(caption)).Append("\" style=\"").Append(box)
                    .Append("\" src=\"data:image/png;base64,").Append(overlay).Append("\">");
                html.Append("</div><figcaption>").Append(HtmlEncode(caption)).Append("</figcaption></figure>\n");
            }
        }
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

    /// <summary>Opens a box showing the X-ray (the style sheet's <c>.xr</c> background), named for screen readers.</summary>
    private static void XrayBox(StringBuilder html, string label) =>
        html.Append("<div class=\"xr\" role=\"img\" aria-label=\"").Append(HtmlEncode(label)).Append("\">");

    private static string ToPngBase64(Image<Rgba32> image)
    {
        var pixels = new byte[image.Width * image.Height * 4];
        image.CopyPixelDataTo(MemoryMarshal.Cast<byte, Rgba32>(pixels.AsSpan()));
        return Convert.ToBase64String(PngWriter.Rgba8(pixels, image.Width, image.Height));
    }
}

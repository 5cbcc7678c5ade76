using MLRFNet.Core.Preprocessing;
using MLRFNet.Edge.Reports;
using MLRFNet.Imaging;
using MLRFNet.Inference;

namespace MLRFNet.Edge.DicomOut;

/// <summary>
/// The heatmap overlay as a Secondary Capture Image (PS3.3 A.8.1), for viewers that show images but not SR: the film
/// (longer side at most <see cref="HeatmapRenderer.MaxDisplaySide"/>) in gray, the top finding's score map blended
/// over the model's crop square as in the HTML page (none when nothing is flagged), and a black banner below with the
/// notice burned in (<see cref="BannerLines"/>). RGB, 8 bits, Burned In Annotation YES; same patient and study.
/// </summary>
internal static class SecondaryCapture
{
    public const string SeriesNumber = "9902";
    public const string SeriesDescription = "MLRFNet heatmap (decision support only)";
    public const int Scale = 2;
    private const int LineHeight = (BannerFont.GlyphHeight + 3) * Scale;

    /// <summary>The banner: the notice, then the top finding (or that none was flagged), then a warning when the model is degraded.</summary>
    public static string[] BannerLines(StudyReport report) =>
    [
        "DECISION SUPPORT ONLY, NOT A DIAGNOSIS",
        report.Findings.Count == 0 ? "NO FINDING FLAGGED" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"HEATMAP: {report.Findings[0].Label} {report.Findings[0].Probability:0.00}"),
        .. report.ModelDegraded is null ? Array.Empty<string>() : ["MODEL DEGRADED: SEE THE SR"],
    ];

    public static (byte[] Rgb, int Width, int Height, int BannerTop) Render(StudyReport report, XrayImage image, ScoringResult result,
        PreprocessingSpec spec, IReadOnlyList<string> labels)
    {
        var (gray, filmWidth, filmHeight) = HeatmapRenderer.DisplayPixels(image);
        var lines = BannerLines(report);
        var width = Math.Max(filmWidth, BannerFont.Measure(lines[0], Scale) + 2 * Scale);
        var height = filmHeight + lines.Length * LineHeight + 2 * Scale;
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < filmHeight; y++)
            for (var x = 0; x < filmWidth; x++)
                rgb[3 * (y * width + x)] = rgb[3 * (y * width + x) + 1] = rgb[3 * (y * width + x) + 2] = gray[y * filmWidth + x];
        if (report.Findings.Count > 0 && result.ClassMaps is { Count: > 0 } maps)
            BlendOverlay(rgb, width, image, filmWidth, filmHeight, maps, labels.ToList().IndexOf(report.Findings[0].Label), spec);
        for (var i = 0; i < lines.Length; i++)
            BannerFont.Draw(rgb, width, height, lines[i], Scale, filmHeight + 2 * Scale + i * LineHeight, Scale);
        return (rgb, width, height, filmHeight);
    }

    private static void BlendOverlay(byte[] rgb, int width, XrayImage image, int filmWidth, int filmHeight,
        IReadOnlyList<ClassMap> maps, int classIndex, PreprocessingSpec spec)
    {
        if (classIndex < 0) return;
        using var overlay = HeatmapRenderer.OverlayImage(maps, classIndex);
        var region = HeatmapRenderer.CropRegion(image.Width, image.Height, spec);
        var (sx, sy) = ((double)filmWidth / image.Width, (double)filmHeight / image.Height);
        var (left, top, regionWidth, regionHeight) = (region.X * sx, region.Y * sy, region.Width * sx, region.Height * sy);
        var alpha = HeatmapRenderer.OverlayAlpha;
        for (var y = 0; y < filmHeight; y++)
            for (var x = 0; x < filmWidth; x++)
            {
                var (u, v) = ((x + 0.5 - left) / regionWidth, (y + 0.5 - top) / regionHeight);
                if (u < 0 || v < 0 || u >= 1 || v >= 1) continue;
                var c = overlay[(int)(u * overlay.Width), (int)(v * overlay.Height)];
                var o = 3 * (y * width + x);
                rgb[o] = (byte)MathF.Round(rgb[o] * (1 - alpha) + c.R * alpha);
                rgb[o + 1] = (byte)MathF.Round(rgb[o + 1] * (1 - alpha) + c.G * alpha);
                rgb[o + 2] = (byte)MathF.Round(rgb[o + 2] * (1 - alpha) + c.B * alpha);
            }
    }

    public static byte[] Build(StudyReport report, DicomMetadata source, byte[] rgb, int width, int height, string seriesUid, string instanceUid)
    {
        var sc = DicomCommon.PatientStudy(source, report)
            .Text(0x0008, 0x0016, "UI", DicomUids.SecondaryCapture)
            .Text(0x0008, 0x0018, "UI", instanceUid)
            .Text(0x0008, 0x0060, "CS", "OT")
            .Text(0x0008, 0x0064, "CS", "WSD")
            .Text(0x0008, 0x103E, "LO", SeriesDescription)
            .Text(0x0020, 0x000E, "UI", seriesUid)
            .Text(0x0020, 0x0011, "IS", SeriesNumber)
            .Text(0x0020, 0x0013, "IS", "1")
            .Text(0x0020, 0x0020, "CS", null)
            .Text(0x0020, 0x0060, "CS", null)
            .UShort(0x0028, 0x0002, 3)
            .Text(0x0028, 0x0004, "CS", "RGB")
            .UShort(0x0028, 0x0006, 0)
            .UShort(0x0028, 0x0010, checked((ushort)height))
            .UShort(0x0028, 0x0011, checked((ushort)width))
            .UShort(0x0028, 0x0100, 8)
            .UShort(0x0028, 0x0101, 8)
            .UShort(0x0028, 0x0102, 7)
            .UShort(0x0028, 0x0103, 0)
            .Text(0x0028, 0x0301, "CS", "YES")
            .Raw(0x7FE0, 0x0010, "OB", rgb);
        return sc.ToPart10(DicomUids.SecondaryCapture, instanceUid);
    }
}

using MLRFNet.Core.Manifest;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Tests.Support;
using MLRFNet.Imaging;
using MLRFNet.Inference;
using SixLabors.ImageSharp.PixelFormats;

namespace MLRFNet.Edge.Tests.Reports;

public sealed class ReportBuilderTests
{
    private static readonly ModelManifest manifest = TestModel.Manifest(new string('a', 64)) with
    {
        Labels = ["A", "B", "C", "D"],
        Thresholds = [0.5f, 0.2f, 0.9f, 0.4f],
    };

    [Fact]
    public void FlagsUseEachClassesOwnThresholdAndFindingsAreSortedByProbability()
    {
        // Catches: one global threshold, '>' instead of '>=', findings in label order, thresholds off by one class.
        var result = new ScoringResult([0, 0, 0, 0], [0.5f, 0.3f, 0.95f, 0.39f], null);
        var classes = ReportBuilder.ClassScores(manifest, result);
        Assert.Equal([true, true, true, false], classes.Select(c => c.Flagged));
        Assert.Equal([0.5f, 0.2f, 0.9f, 0.4f], classes.Select(c => c.Threshold));
        Assert.Equal(["C", "A", "B"], ReportBuilder.Findings(classes).Select(f => f.Label));
    }

    [Fact]
    public void WithoutThresholdsEveryClassUsesOneHalf()
    {
        var result = new ScoringResult([0, 0, 0, 0], [0.49f, 0.5f, 0.51f, 0f], null);
        var classes = ReportBuilder.ClassScores(manifest with { Thresholds = null }, result);
        Assert.Equal([false, true, true, false], classes.Select(c => c.Flagged));
    }

    [Fact]
    public void AScorerReturningTheWrongNumberOfClassesIsRefused()
    {
        var result = new ScoringResult([0, 0, 0], [0.1f, 0.2f, 0.3f], null);
        Assert.Throws<InvalidDataException>(() => ReportBuilder.ClassScores(manifest, result));
    }

    [Fact]
    public void HtmlHasTheBannerFindingsAndOneHeatmapPerFlaggedClassAndEscapesNames()
    {
        var image = new XrayImage(64, 80, Enumerable.Range(0, 64 * 80).Select(i => (float)(i % 256)).ToArray(), 8, XrayFormat.Png);
        var maps = new List<ClassMap> { new("u4", 4, 2, 2, Enumerable.Range(0, 16).Select(i => (float)i).ToArray()) };
        var result = new ScoringResult([0, 0, 0, 0], [0.6f, 0.1f, 0.95f, 0.1f], maps);
        var report = ReportBuilder.Build("x.0123456789ab", DateTimeOffset.UnixEpoch, "<script>alert(1)</script>.png", new string('b', 64),
            100, image, manifest, new string('a', 64), "CPU", result, new ReportTimings(1, 2, 3, 4, 1, 5), null);
        var html = HtmlReportWriter.Render(report, image, result, manifest.Preprocessing, maxHeatmaps: 3);
        Assert.Contains(StudyReport.DecisionSupportNotice, html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        // The X-ray alone, then one figure per flagged class (C, A) each with its overlay; no external resources.
        var figures = Figures(html);
        Assert.Equal([null, "C", "A"], figures.Select(f => f.Overlay is null ? null : f.Caption[..1]));
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, CountOf(html, "<figure>")); // every figure is one the parser read: none malformed or missed
        // The X-ray is embedded once (the .xr boxes' background), plus one overlay per heatmap. Catches: the X-ray's
        // base64 PNG repeated in every figure again (4x the page for the same pixels).
        Assert.Equal(1 + 2, CountOf(html, "data:image/png;base64,"));
        // Catches: the X-ray left out of printouts (browsers drop background images when printing unless told not to).
        Assert.Contains("print-color-adjust:exact", XrayRule(html));
        var noMaps = HtmlReportWriter.Render(report, image, result, manifest.Preprocessing, maxHeatmaps: 0);
        Assert.Equal([null], Figures(noMaps).Select(f => f.Overlay));
        Assert.Equal(1, CountOf(noMaps, "<figure>"));
        var oneMap = HtmlReportWriter.Render(report, image, result, manifest.Preprocessing, maxHeatmaps: 1);
        Assert.Equal(2, Figures(oneMap).Length);
        Assert.Contains("C: where", oneMap); // the most probable finding keeps its heatmap
        Assert.DoesNotContain("A: where", oneMap);
    }

    [Fact]
    public void TheBannerSaysDecisionSupportOnlyOnce()
    {
        // Catches: the banner's heading repeating the notice's first sentence ("DECISION SUPPORT ONLY, NOT A DIAGNOSIS.
        // Decision support only, not a diagnosis. ..."): the clinician reads the same words twice.
        var image = new XrayImage(8, 8, new float[64], 8, XrayFormat.Png);
        var result = new ScoringResult([0, 0, 0, 0], [0.6f, 0.1f, 0.95f, 0.1f], null);
        var report = ReportBuilder.Build("x.0123456789ab", DateTimeOffset.UnixEpoch, "x.png", new string('b', 64),
            100, image, manifest, new string('a', 64), "CPU", result, new ReportTimings(1, 2, 3, 4, 1, 5), null);
        var html = HtmlReportWriter.Render(report, image, result, manifest.Preprocessing, maxHeatmaps: 0);
        var banner = System.Text.RegularExpressions.Regex.Match(html, "<div class=\"banner\"[^>]*>(.*?)</div>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(banner.Success, "no banner div");
        Assert.Equal(1, CountOf(banner.Groups[1].Value.ToLowerInvariant(), "decision support only, not a diagnosis"));
        Assert.Contains("qualified clinician must review", banner.Groups[1].Value);
    }

    [Fact]
    public void EveryFigureShowsTheLosslessXrayAndItsOwnClassOverlay()
    {
        // Catches: an overlay under another class's caption (slot mix-up), a figure showing a different (or lossy,
        // palette-reduced) X-ray than the one scored, and an overlay that is not the class's own map.
        var (pixels, _) = MLRFNet.Imaging.Synthetic.ChestPhantom.Generate(seed: 3, index: 1, size: 300);
        var image = new XrayImage(300, 300, Array.ConvertAll(pixels, p => (float)p), 8, XrayFormat.Png);
        var random = new Random(5);
        var maps = new List<ClassMap>
        {
            new("u3", 4, 4, 4, Enumerable.Range(0, 64).Select(_ => (float)random.NextDouble()).ToArray()),
            new("u4", 4, 2, 2, Enumerable.Range(0, 16).Select(_ => (float)random.NextDouble()).ToArray()),
        };
        // A, B and C flagged (thresholds 0.5, 0.2, 0.9), most probable first: C, A, B.
        var result = new ScoringResult([0, 0, 0, 0], [0.7f, 0.3f, 0.95f, 0.1f], maps);
        var report = ReportBuilder.Build("p.0123456789ab", DateTimeOffset.UnixEpoch, "p.png", new string('b', 64), 100, image, manifest,
            new string('a', 64), "CPU", result, new ReportTimings(1, 2, 3, 4, 1, 5), null);
        var html = HtmlReportWriter.Render(report, image, result, manifest.Preprocessing, maxHeatmaps: 3);

        var figures = Figures(html);
        Assert.Equal("X-ray as scored", figures[0].Caption);
        Assert.Null(figures[0].Overlay);
        Assert.Equal(["C", "A", "B"], figures.Skip(1).Select(f => f.Caption.Split(':')[0]));
        using var display = HeatmapRenderer.DisplayImage(image);
        // The one X-ray of the page (every figure's .xr box shows it, see Figures) is the display image, lossless.
        AssertSamePixels(display.CloneAs<Rgba32>(), Xray(html));
        foreach (var figure in figures.Skip(1))
        {
            Assert.Equal(figure.Caption, figure.OverlayAlt);
            var classIndex = Array.IndexOf(manifest.Labels, figure.Caption[..1]);
            using var expected = HeatmapRenderer.OverlayImage(maps, classIndex);
            AssertSamePixels(expected, figure.Overlay!);
        }
    }

    [Fact]
    public void OverlayIsPlacedOnTheCropRegionInPercentOfTheXrayAndIsHotWhereTheMapPeaks()
    {
        // A 400 x 300 film: resized to 341 x 256, centre crop offset round((341 - 224) / 2) = 58, 16 (torchvision).
        // In the film's pixels (x 400/341 across, x 300/256 down): left 68.035, top 18.75, 262.757 x 262.5; as percent
        // of 400 x 300: left 17.009, top 6.25, width 65.689, height 87.5. Catches: percentages of the wrong side (a
        // square box on a landscape film), the whole film covered, the crop offset on the wrong axis.
        var image = new XrayImage(400, 300, Enumerable.Range(0, 400 * 300).Select(i => (float)(i % 253)).ToArray(), 8, XrayFormat.Png);
        // Class C's 4x4 map is hot in row 1, column 2 only; the other classes are hot elsewhere.
        var values = new float[4 * 16];
        values[0 * 16 + 0] = 1; values[1 * 16 + 15] = 1; values[2 * 16 + 1 * 4 + 2] = 1; values[3 * 16 + 12] = 1;
        var result = new ScoringResult([0, 0, 0, 0], [0.1f, 0.1f, 0.95f, 0.1f], [new ClassMap("u2", 4, 4, 4, values)]);
        var report = ReportBuilder.Build("c.0123456789ab", DateTimeOffset.UnixEpoch, "c.png", new string('b', 64), 100, image, manifest,
            new string('a', 64), "CPU", result, new ReportTimings(1, 2, 3, 4, 1, 5), null);
        var html = HtmlReportWriter.Render(report, image, result, manifest.Preprocessing, maxHeatmaps: 3);

        var figure = Assert.Single(Figures(html), f => f.Overlay is not null);
        Assert.StartsWith("C:", figure.Caption);
        var box = System.Text.RegularExpressions.Regex.Matches(figure.Style!, @"([a-z]+):([0-9.]+)%")
            .ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["left", "top", "width", "height"], box.Keys);
        Assert.Equal(17.009, box["left"], 3);
        Assert.Equal(6.25, box["top"], 3);
        Assert.Equal(65.689, box["width"], 3);
        Assert.Equal(87.5, box["height"], 3);
        // The box is positioned against the X-ray's own box: the .xr wrapper is the containing block of the overlay.
        Assert.Contains(".xr{position:relative;", html);
        Assert.Contains("img.ov{position:absolute;", html);

        // The overlay: 8x8 (twice the 4x4 grid), half transparent, jet(1) exactly on the 2x2 pixels around the hot
        // cell's centre (x 4-5, y 2-3; bilinear is symmetric there), nowhere else. Catches swapped x/y, a flipped map.
        using var overlay = SixLabors.ImageSharp.Image.Load<Rgba32>(Convert.FromBase64String(figure.Overlay!));
        Assert.Equal((8, 8), (overlay.Width, overlay.Height));
        var hottest = new List<(int X, int Y)>();
        for (var y = 0; y < 8; y++)
            for (var x = 0; x < 8; x++)
            {
                Assert.Equal(128, overlay[x, y].A);
                if (overlay[x, y] == new Rgba32(128, 0, 0, 128)) hottest.Add((x, y));
            }
        Assert.Equal([(4, 2), (5, 2), (4, 3), (5, 3)], hottest);
    }

    [Theory]
    // A 1024 x 768 film is shown at 512 x 384 (the page's CSS max-width); a 400 x 300 film is never enlarged.
    [InlineData(1024, 768, 512, 384)]
    [InlineData(400, 300, 400, 300)]
    public void EmbeddedXrayIsAtMostTheDisplaySideAndOverlaysAreTheSmallMapGrid(int width, int height, int shownWidth, int shownHeight)
    {
        // Catches: the X-ray embedded at the input's full size again (4x the pixels to deflate for nothing the page
        // shows), a resize that distorts the aspect ratio, small films being upscaled, and overlays rendered at the
        // display size (the full-size blend this layout replaced) instead of 2 x 28 = 56 px.
        var image = new XrayImage(width, height, Enumerable.Range(0, width * height).Select(i => (float)(i % 251)).ToArray(), 8, XrayFormat.Png);
        var maps = new List<ClassMap>
        {
            new("u2", 4, 28, 28, Enumerable.Range(0, 4 * 28 * 28).Select(i => (float)(i % 97)).ToArray()),
            new("u4", 4, 7, 7, Enumerable.Range(0, 4 * 7 * 7).Select(i => (float)(i % 13)).ToArray()),
        };
        var result = new ScoringResult([0, 0, 0, 0], [0.7f, 0.3f, 0.95f, 0.1f], maps);
        var report = ReportBuilder.Build("s.0123456789ab", DateTimeOffset.UnixEpoch, "s.png", new string('b', 64), 100, image, manifest,
            new string('a', 64), "CPU", result, new ReportTimings(1, 2, 3, 4, 1, 5), null);
        var html = HtmlReportWriter.Render(report, image, result, manifest.Preprocessing, maxHeatmaps: 3);
        var figures = Figures(html);
        Assert.Equal(4, figures.Length); // the X-ray and three heatmap figures
        var xray = SixLabors.ImageSharp.Image.Identify(Convert.FromBase64String(Xray(html)));
        Assert.Equal((shownWidth, shownHeight), (xray.Width, xray.Height));
        // The .xr box is the X-ray's size and shape: its width, and a height of width x shownHeight / shownWidth
        // (the ::before padding). Catches: a box of another aspect ratio (X-ray stretched, overlays off their region).
        Assert.Contains($"width:{shownWidth}px;", XrayRule(html));
        // Catches: a box that no longer shrinks with the page (it overflows a narrow screen; an <img> shrank by itself).
        Assert.Contains("max-width:calc(100% - 2px)", XrayRule(html));
        Assert.Contains("figure{display:inline-block;margin:.5em;vertical-align:top;max-width:calc(100% - 1em)}", html);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $".xr::before{{content:\"\";display:block;padding-top:{100.0 * shownHeight / shownWidth:0.####}%}}"), html);
        foreach (var figure in figures)
        {
            if (figure.Overlay is null) continue;
            var overlay = SixLabors.ImageSharp.Image.Identify(Convert.FromBase64String(figure.Overlay));
            Assert.Equal((56, 56), (overlay.Width, overlay.Height));
        }
    }

    private sealed record Figure(string Caption, string? Overlay, string? OverlayAlt, string? Style);

    /// <summary>
    /// Every figure of the page: caption, and the heatmap overlay's PNG, alt text and CSS box. Only figures whose box is
    /// an X-ray box (class xr: the X-ray as background, see <see cref="Xray"/>) match.
    /// </summary>
    private static Figure[] Figures(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html,
            "<figure><div class=\"xr\" role=\"img\" aria-label=\"X-ray as scored\">" +
            "(?:<img class=\"ov\" alt=\"([^\"]*)\" style=\"([^\"]*)\" src=\"data:image/png;base64,([^\"]+)\">)?" +
            "</div><figcaption>([^<]*)</figcaption></figure>")
            .Select(m => new Figure(m.Groups[4].Value, m.Groups[3].Success ? m.Groups[3].Value : null,
                m.Groups[1].Success ? m.Groups[1].Value : null, m.Groups[2].Success ? m.Groups[2].Value : null))
            .ToArray();

    /// <summary>The style sheet's one <c>.xr</c> rule (the X-ray boxes).</summary>
    private static string XrayRule(string html) =>
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, @"\.xr\{[^}]*\}")).Value;

    /// <summary>The X-ray every <c>.xr</c> box shows: the rule's background image (PNG, base64).</summary>
    private static string Xray(string html)
    {
        var match = System.Text.RegularExpressions.Regex.Match(XrayRule(html), @"background-image:url\(data:image/png;base64,([A-Za-z0-9+/=]+)\)");
        Assert.True(match.Success, "the .xr rule has no X-ray background image");
        return match.Groups[1].Value;
    }

    private static void AssertSamePixels(SixLabors.ImageSharp.Image<Rgba32> expected, string base64Png)
    {
        using var actual = SixLabors.ImageSharp.Image.Load<Rgba32>(Convert.FromBase64String(base64Png));
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        for (var y = 0; y < expected.Height; y++)
            for (var x = 0; x < expected.Width; x++)
                if (expected[x, y] != actual[x, y]) Assert.Fail($"pixel ({x}, {y}): embedded {actual[x, y]}, rendered {expected[x, y]}");
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}

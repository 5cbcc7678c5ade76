using MLRFNet.Core.Manifest;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Tests.Support;
using MLRFNet.Imaging;
using MLRFNet.Inference;

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
        Assert.Contains("DECISION SUPPORT ONLY, NOT A DIAGNOSIS", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        // X-ray + two flagged classes (A, C) = three embedded PNGs; no external resources.
        Assert.Equal(3, CountOf(html, "src=\"data:image/png;base64,"));
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.True(html.IndexOf("C: where", StringComparison.Ordinal) < html.IndexOf("A: where", StringComparison.Ordinal));
        var noMaps = HtmlReportWriter.Render(report, image, result, manifest.Preprocessing, maxHeatmaps: 0);
        Assert.Equal(1, CountOf(noMaps, "src=\"data:image/png;base64,"));
        var oneMap = HtmlReportWriter.Render(report, image, result, manifest.Preprocessing, maxHeatmaps: 1);
        Assert.Equal(2, CountOf(oneMap, "src=\"data:image/png;base64,"));
        Assert.Contains("C: where", oneMap); // the most probable finding keeps its heatmap
        Assert.DoesNotContain("A: where", oneMap);
    }

    [Fact]
    public void EveryEmbeddedFigureIsLosslessAndSitsUnderItsOwnCaption()
    {
        // The figures are encoded in parallel. Catches: a figure placed under another class's caption (slot mix-up),
        // the X-ray swapped with an overlay, and any lossy or palette-reducing encoder setting (pixels must survive).
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

        var figures = System.Text.RegularExpressions.Regex.Matches(html,
            "<img alt=\"([^\"]*)\" src=\"data:image/png;base64,([^\"]+)\">").Select(m => (Caption: m.Groups[1].Value, Png: m.Groups[2].Value)).ToArray();
        Assert.Equal("X-ray as scored", figures[0].Caption);
        Assert.Equal(["C", "A", "B"], figures.Skip(1).Select(f => f.Caption.Split(':')[0]));
        using var display = HeatmapRenderer.DisplayImage(image);
        AssertSamePixels(display.CloneAs<SixLabors.ImageSharp.PixelFormats.Rgb24>(), figures[0].Png);
        foreach (var (caption, png) in figures.Skip(1))
        {
            var classIndex = Array.IndexOf(manifest.Labels, caption[..1]);
            using var expected = HeatmapRenderer.Overlay(display, 300, 300, manifest.Preprocessing, maps, classIndex);
            AssertSamePixels(expected, png);
        }
    }

    [Theory]
    // A 1024 x 768 film is shown at 512 x 384 (the page's CSS max-width); a 400 x 300 film is never enlarged.
    [InlineData(1024, 768, 512, 384)]
    [InlineData(400, 300, 400, 300)]
    public void EmbeddedFiguresAreAtMostTheDisplaySideAndKeepTheAspectRatio(int width, int height, int shownWidth, int shownHeight)
    {
        // Catches: figures embedded at the input's full size again (4x the pixels to deflate for nothing the page
        // shows), a resize that distorts the aspect ratio, and small films being upscaled.
        var image = new XrayImage(width, height, Enumerable.Range(0, width * height).Select(i => (float)(i % 251)).ToArray(), 8, XrayFormat.Png);
        var maps = new List<ClassMap> { new("u2", 4, 28, 28, Enumerable.Range(0, 4 * 28 * 28).Select(i => (float)(i % 97)).ToArray()) };
        var result = new ScoringResult([0, 0, 0, 0], [0.7f, 0.3f, 0.95f, 0.1f], maps);
        var report = ReportBuilder.Build("s.0123456789ab", DateTimeOffset.UnixEpoch, "s.png", new string('b', 64), 100, image, manifest,
            new string('a', 64), "CPU", result, new ReportTimings(1, 2, 3, 4, 1, 5), null);
        var html = HtmlReportWriter.Render(report, image, result, manifest.Preprocessing, maxHeatmaps: 3);
        var pngs = System.Text.RegularExpressions.Regex.Matches(html, "src=\"data:image/png;base64,([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(4, pngs.Length); // the X-ray and three overlays
        foreach (var png in pngs)
        {
            var info = SixLabors.ImageSharp.Image.Identify(Convert.FromBase64String(png));
            Assert.Equal((shownWidth, shownHeight), (info.Width, info.Height));
        }
    }

    private static void AssertSamePixels(SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24> expected, string base64Png)
    {
        using var actual = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(Convert.FromBase64String(base64Png));
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

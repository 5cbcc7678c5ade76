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

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}

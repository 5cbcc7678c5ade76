using MLRFNet.Core.Metrics;
using static MLRFNet.Core.Tests.Metrics.MetricsFixture;

namespace MLRFNet.Core.Tests.Metrics;

public sealed class YoudenThresholdTests
{
    public static TheoryData<string> BinaryCases => Names("binary");
    public static TheoryData<string> GeneratedCases => Names("generated");

    // Catches: last-instead-of-first on ties (">=" for ">"), maximising tpr + fpr or sensitivity alone, and
    // searching a different point set than sklearn's default curve.
    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Matches_numpy_argmax_over_sklearn_roc_curve(string name)
    {
        var c = Case("binary", name);
        var youden = YoudenThreshold.Select(Floats(c["scores"]), Ints(c["labels"]));
        if (c["youden"] is not { } expected)
        {
            Assert.Null(youden);
            return;
        }
        Assert.NotNull(youden);
        Assert.Equal((int)expected["index"]!, youden.PointIndex);
        Assert.Equal((float)(double)expected["threshold"]!, youden.Threshold);
        Assert.Equal((double)expected["j"]!, youden.J); // same IEEE operations as numpy: exact
    }

    [Theory]
    [MemberData(nameof(GeneratedCases))]
    public void Matches_on_100k_generated_samples_with_metrics_there(string name)
    {
        var c = Case("generated", name);
        var (scores, labels) = Generate(c["generator"]!);
        var youden = YoudenThreshold.Select(scores, labels)!;
        Assert.Equal((int)c["youden"]!["index"]!, youden.PointIndex);
        Assert.Equal((float)(double)c["youden"]!["threshold"]!, youden.Threshold);
        ThresholdMetricsTests.AssertMetrics(c["at_youden"]!, ThresholdMetrics.At(scores, labels, youden.Threshold), name);
    }

    [Fact]
    public void Ties_pick_the_higher_threshold()
    {
        // J = 0.5 at 0.9 and at 0.7 (see the "youden tie" fixture case): the first, higher threshold wins.
        var youden = YoudenThreshold.Select([0.9f, 0.8f, 0.7f, 0.6f], [1, 0, 1, 0])!;
        Assert.Equal(0.9f, youden.Threshold);
        Assert.Equal(0.5, youden.J);
    }

    [Fact]
    public void Inverse_separation_keeps_the_added_first_point()
    {
        // Every real threshold has J < 0, so the best is J = 0 at max + 1: call nothing positive.
        var youden = YoudenThreshold.Select([0.1f, 0.2f, 0.8f, 0.9f], [1, 1, 0, 0])!;
        Assert.Equal(0, youden.PointIndex);
        Assert.Equal(1.9f, youden.Threshold);
        Assert.Equal(0.0, youden.J);
    }
}

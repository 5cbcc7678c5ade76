using System.Text.Json.Nodes;
using MLRFNet.Core.Metrics;
using static MLRFNet.Core.Tests.Metrics.MetricsFixture;

namespace MLRFNet.Core.Tests.Metrics;

public sealed class ThresholdMetricsTests
{
    public static TheoryData<string> BinaryCases => Names("binary");

    // Catches: swapped FP/FN or sensitivity/specificity, `>` instead of `>=` at a threshold equal to a score
    // (the Youden threshold always is one), and 0 or NaN where a denominator is zero.
    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Matches_sklearn_confusion_matrix_and_metrics(string name)
    {
        var c = Case("binary", name);
        var scores = Floats(c["scores"]);
        var labels = Ints(c["labels"]);
        foreach (var expected in c["at_thresholds"]!.AsArray())
            AssertMetrics(expected!, ThresholdMetrics.At(scores, labels, (float)(double)expected!["threshold"]!), name);
    }

    [Fact]
    public void Zero_denominators_are_undefined_not_zero()
    {
        // No positives, nothing predicted positive: sensitivity, precision and F1 are undefined.
        var m = ThresholdMetrics.At([0.1f, 0.2f], [0, 0], 0.5f);
        Assert.Equal((0, 0, 2, 0), (m.TruePositives, m.FalsePositives, m.TrueNegatives, m.FalseNegatives));
        Assert.Equal(1.0, m.Accuracy);
        Assert.Null(m.Sensitivity);
        Assert.Null(m.Precision);
        Assert.Null(m.F1);
        Assert.Equal(1.0, m.Specificity);

        // Positives exist but none predicted: precision undefined, F1 = 0 (defined).
        var missed = ThresholdMetrics.At([0.1f, 0.2f], [1, 0], 0.5f);
        Assert.Null(missed.Precision);
        Assert.Equal(0.0, missed.F1);
        Assert.Equal(0.0, missed.Sensitivity);
    }

    [Fact]
    public void Rejects_nan_threshold_and_impossible_counts()
    {
        Assert.Throws<ArgumentException>(() => ThresholdMetrics.At([0.1f], [1], float.NaN));
        Assert.Throws<ArgumentException>(() => ThresholdMetrics.FromCounts(0.5f, 0, 0, 0, 0));
        Assert.Throws<ArgumentException>(() => ThresholdMetrics.FromCounts(0.5f, -1, 2, 0, 0));
    }

    internal static void AssertMetrics(JsonNode expected, ThresholdMetrics actual, string name)
    {
        var what = $"{name} @ {actual.Threshold:R}";
        Assert.Equal((float)(double)expected["threshold"]!, actual.Threshold);
        Assert.Equal(((int)expected["tp"]!, (int)expected["fp"]!, (int)expected["tn"]!, (int)expected["fn"]!),
            (actual.TruePositives, actual.FalsePositives, actual.TrueNegatives, actual.FalseNegatives));
        Close((double)expected["accuracy"]!, actual.Accuracy, what + " accuracy");
        Close(NullableDouble(expected["sensitivity"]), actual.Sensitivity, what + " sensitivity");
        Close(NullableDouble(expected["specificity"]), actual.Specificity, what + " specificity");
        Close(NullableDouble(expected["precision"]), actual.Precision, what + " precision");
        Close(NullableDouble(expected["f1"]), actual.F1, what + " f1");
    }
}

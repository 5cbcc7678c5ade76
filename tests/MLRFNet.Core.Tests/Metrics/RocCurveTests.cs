using System.Text.Json.Nodes;
using MLRFNet.Core.Metrics;
using static MLRFNet.Core.Tests.Metrics.MetricsFixture;

namespace MLRFNet.Core.Tests.Metrics;

public sealed class RocCurveTests
{
    public static TheoryData<string> BinaryCases => Names("binary");
    public static TheoryData<string> GeneratedCases => Names("generated");

    // Catches: wrong drop_intermediate rule (dropping corners, keeping collinear points), a missing (0, 0) start,
    // thresholds per sample instead of per distinct score, and `>` instead of `>=`.
    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Matches_sklearn_roc_curve_with_default_drop_intermediate(string name) =>
        AssertCurve(Case("binary", name), "roc", dropIntermediate: true);

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Matches_sklearn_roc_curve_without_drop_intermediate(string name) =>
        AssertCurve(Case("binary", name), "roc_all", dropIntermediate: false);

    [Theory]
    [MemberData(nameof(GeneratedCases))]
    public void Matches_sklearn_on_100k_generated_samples(string name)
    {
        var c = Case("generated", name);
        var (scores, labels) = Generate(c["generator"]!);
        var curve = RocCurve.Compute(scores, labels);
        Assert.Equal((int)c["roc_points"]!, curve.Count);
        var sample = c["roc_sample"]!;
        var indices = Ints(sample["indices"]);
        var thresholds = Floats(sample["thresholds"]);
        var fpr = Doubles(sample["fpr"]);
        var tpr = Doubles(sample["tpr"]);
        for (var k = 0; k < indices.Length; k++)
        {
            var i = indices[k];
            Assert.Equal(thresholds[k], curve.Thresholds[i]);
            Close(fpr[k], curve.FalsePositiveRate![i], $"fpr[{i}]");
            Close(tpr[k], curve.TruePositiveRate![i], $"tpr[{i}]");
        }
    }

    [Fact]
    public void Rates_of_a_one_class_set_are_undefined_but_thresholds_remain()
    {
        var curve = RocCurve.Compute([0.2f, 0.9f, 0.2f], [0, 0, 0]);
        Assert.Null(curve.TruePositiveRate);
        Assert.NotNull(curve.FalsePositiveRate);
        Assert.False(curve.IsDefined);
        Assert.Equal([1.9f, 0.9f, 0.2f], curve.Thresholds);
    }

    private static void AssertCurve(JsonObject c, string key, bool dropIntermediate)
    {
        var name = (string)c["name"]!;
        var expected = c[key]!;
        var curve = RocCurve.Compute(Floats(c["scores"]), Ints(c["labels"]), dropIntermediate);
        // Thresholds are float32 scores (and max + 1 in float32, as numpy computes it): compared exactly.
        Assert.Equal(Floats(expected["thresholds"]), curve.Thresholds);
        if (expected["fpr"] is null) Assert.Null(curve.FalsePositiveRate);
        else Close(Doubles(expected["fpr"]), curve.FalsePositiveRate!, name + " fpr");
        if (expected["tpr"] is null) Assert.Null(curve.TruePositiveRate);
        else Close(Doubles(expected["tpr"]), curve.TruePositiveRate!, name + " tpr");
        Assert.Equal(curve.Count, curve.FalsePositives.Length);
        Assert.Equal(0, curve.FalsePositives[0]);
        Assert.Equal(0, curve.TruePositives[0]);
    }
}

using MLRFNet.Core.Metrics;
using static MLRFNet.Core.Tests.Metrics.MetricsFixture;

namespace MLRFNet.Core.Tests.Metrics;

public sealed class AucBootstrapTests
{
    public static TheoryData<string> SingleClassCases
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var c in Array("multilabel"))
                if ((int)c!["classes"]! == 1) data.Add((string)c["name"]!);
            return data;
        }
    }

    // The fixture draws the same SplitMix64 resamples in Python and computes each with sklearn's roc_auc_score and
    // the interval with numpy.quantile. Catches: a wrong resampling scheme, a weighted-AUC error on duplicated
    // samples, redrawing instead of skipping one-class resamples, and a different percentile definition.
    [Theory]
    [MemberData(nameof(SingleClassCases))]
    public void Matches_sklearn_and_numpy_on_the_same_resamples(string name)
    {
        var c = Case("multilabel", name);
        var options = new BootstrapOptions
        {
            Iterations = (int)c["iterations"]!, Seed = (ulong)c["seed"]!, ConfidenceLevel = (double)c["level"]!,
        };
        var interval = AucBootstrap.ConfidenceInterval(Floats(c["scores"]), Ints(c["labels"]), options);
        var expected = c["auc_ci"]![0]!;
        Close(NullableDouble(expected["lower"]), interval.Lower, name + " lower");
        Close(NullableDouble(expected["upper"]), interval.Upper, name + " upper");
        Assert.Equal((int)expected["skipped"]!, interval.Skipped);
        Assert.Equal(options.Iterations, interval.Iterations);
        Assert.Equal(options.Seed, interval.Seed);
    }

    [Fact]
    public void Same_seed_repeats_and_the_interval_holds_the_estimate()
    {
        var c = Case("multilabel", "single class 0 n=80");
        var scores = Floats(c["scores"]);
        var labels = Ints(c["labels"]);
        var first = AucBootstrap.ConfidenceInterval(scores, labels);
        var second = AucBootstrap.ConfidenceInterval(scores, labels);
        Assert.Equal(first, second);
        Assert.Equal(1000, first.Iterations);
        Assert.Equal(BootstrapOptions.DefaultSeed, first.Seed);
        var auc = RocAuc.Compute(scores, labels).Auc!.Value;
        Assert.InRange(auc, first.Lower!.Value, first.Upper!.Value);
        Assert.True(first.Upper - first.Lower > 0.05, "an 80-sample AUC cannot be known to within 0.05");

        // Catches a seed that is ignored.
        var other = AucBootstrap.ConfidenceInterval(scores, labels, new BootstrapOptions { Seed = 7 });
        Assert.NotEqual(first.Lower, other.Lower);
    }

    [Fact]
    public void A_class_without_negatives_has_no_interval_and_every_resample_skipped()
    {
        var interval = AucBootstrap.ConfidenceInterval([0.1f, 0.5f, 0.9f], [1, 1, 1], new BootstrapOptions { Iterations = 50 });
        Assert.False(interval.IsDefined);
        Assert.Equal(50, interval.Skipped);
        Assert.Equal(0, interval.Used);
    }

    [Fact]
    public void Difference_of_identical_scores_is_exactly_zero()
    {
        var c = Case("multilabel", "single class 0 n=80");
        var scores = Floats(c["scores"]);
        var interval = AucBootstrap.DifferenceInterval(scores, scores, Ints(c["labels"]), new BootstrapOptions { Iterations = 200 });
        Assert.Equal(0.0, interval.Lower);
        Assert.Equal(0.0, interval.Upper);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AucBootstrap.ConfidenceInterval([0.1f, 0.9f], [0, 1], new BootstrapOptions { Iterations = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => AucBootstrap.ConfidenceInterval([0.1f, 0.9f], [0, 1], new BootstrapOptions { ConfidenceLevel = 1.0 }));
    }
}

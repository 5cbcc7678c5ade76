using MLRFNet.Core.Metrics;
using Xunit.Abstractions;
using static MLRFNet.Core.Tests.Metrics.MetricsFixture;

namespace MLRFNet.Core.Tests.Metrics;

public sealed class RocAucTests(ITestOutputHelper output)
{
    public static TheoryData<string> BinaryCases => Names("binary");
    public static TheoryData<string> GeneratedCases => Names("generated");

    // Catches: wrong tie handling (ties as 0 or 1 instead of 1/2), off-by-one in the rank sum, sorting the wrong
    // way, and treating one-class sets as 0.5 instead of undefined.
    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Matches_sklearn_roc_auc_score(string name)
    {
        var c = Case("binary", name);
        var labels = Ints(c["labels"]);
        var result = RocAuc.Compute(Floats(c["scores"]), labels);
        Close(NullableDouble(c["auc"]), result.Auc, name);
        Assert.Equal(labels.Count(y => y == 1), result.Positives);
        Assert.Equal(labels.Count(y => y == 0), result.Negatives);
        Assert.Equal(c["auc"] is not null, result.IsDefined);
    }

    // Catches: an O(n^2) or overflowing implementation (100k samples: pair counts beyond int range) and loss of
    // precision on heavy ties.
    [Theory]
    [MemberData(nameof(GeneratedCases))]
    public void Matches_sklearn_on_100k_generated_samples(string name)
    {
        var c = Case("generated", name);
        var (scores, labels) = Generate(c["generator"]!);
        Assert.Equal((int)c["positives"]!, labels.Sum());
        Close((double)c["auc"]!, RocAuc.Compute(scores, labels).Auc!.Value, name);
    }

    [Fact]
    public void Max_abs_difference_to_sklearn_over_all_cases_is_below_1e9()
    {
        double max = 0;
        var count = 0;
        foreach (var node in Array("binary"))
        {
            if (node!["auc"] is null) continue;
            var auc = RocAuc.Compute(Floats(node["scores"]), Ints(node["labels"])).Auc!.Value;
            max = Math.Max(max, Math.Abs(auc - (double)node["auc"]!));
            count++;
        }
        foreach (var node in Array("generated"))
        {
            var (scores, labels) = Generate(node!["generator"]!);
            max = Math.Max(max, Math.Abs(RocAuc.Compute(scores, labels).Auc!.Value - (double)node["auc"]!));
            count++;
        }
        output.WriteLine($"max |AUC - sklearn| over {count} defined cases: {max:E3}");
        Assert.True(max <= Tolerance, $"max difference {max:E3}");
    }

    // Catches: a sign or direction error that only shows when scores are reversed (e.g. ascending sort).
    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Negated_scores_give_one_minus_auc(string name)
    {
        var c = Case("binary", name);
        var scores = Floats(c["scores"]);
        var labels = Ints(c["labels"]);
        var auc = RocAuc.Compute(scores, labels).Auc;
        var negated = RocAuc.Compute(scores.Select(s => -s).ToArray(), labels).Auc;
        if (auc is null) Assert.Null(negated);
        else Close(1.0, auc.Value + negated!.Value, name, 1e-12);
    }

    // Catches: dependence on score values rather than their order (e.g. thresholds at fixed grid points), and on
    // the order of the samples (e.g. a stable-sort assumption).
    [Fact]
    public void Invariant_to_monotone_transforms_and_sample_order()
    {
        var c = Case("generated", "100k ties 2 decimals");
        var (scores, labels) = Generate(c["generator"]!);
        var expected = (double)c["auc"]!;
        // Scores are multiples of 0.01 in [0, 1]: affine and exponential maps keep every distinct value distinct.
        Close(expected, RocAuc.Compute(scores.Select(s => 1000f + 7f * s).ToArray(), labels).Auc!.Value, "affine");
        Close(expected, RocAuc.Compute(scores.Select(s => MathF.Exp(5f * s)).ToArray(), labels).Auc!.Value, "exp");
        var order = Enumerable.Range(0, scores.Length).ToArray();
        new Random(3).Shuffle(order);
        Close(expected, RocAuc.Compute(order.Select(i => scores[i]).ToArray(), order.Select(i => labels[i]).ToArray()).Auc!.Value, "shuffled");
    }

    [Fact]
    public void One_class_sets_are_undefined_not_half()
    {
        var onlyPositives = RocAuc.Compute([0.1f, 0.7f, 0.7f], [1, 1, 1]);
        Assert.False(onlyPositives.IsDefined);
        Assert.Equal((3, 0), (onlyPositives.Positives, onlyPositives.Negatives));
        Assert.Null(RocAuc.Compute([0.5f], [0]).Auc);
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_reason()
    {
        Assert.Contains("labels must be 0", Assert.Throws<ArgumentException>(() => RocAuc.Compute([0.1f, 0.2f], [0, 2])).Message);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => RocAuc.Compute([0.1f, float.NaN], [0, 1])).Message);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => RocAuc.Compute([float.PositiveInfinity, 0.1f], [0, 1])).Message);
        Assert.Contains("3 scores but 2 labels", Assert.Throws<ArgumentException>(() => RocAuc.Compute([0.1f, 0.2f, 0.3f], [0, 1])).Message);
        Assert.Contains("No samples", Assert.Throws<ArgumentException>(() => RocAuc.Compute([], [])).Message);
    }
}

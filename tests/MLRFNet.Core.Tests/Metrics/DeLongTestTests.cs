using MLRFNet.Core.Metrics;
using Xunit.Abstractions;
using static MLRFNet.Core.Tests.Metrics.MetricsFixture;

namespace MLRFNet.Core.Tests.Metrics;

public sealed class DeLongTestTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases => Names("delong");

    // The fixture's variance comes from an O(m n) structural-components DeLong in Python and its AUCs from
    // scipy's Mann-Whitney U; the C# code uses Sun & Xu's midranks. Catches: wrong midranks on ties, a
    // population instead of sample covariance, a missing covariance term, swapped V10/V01 scaling, a one-sided p.
    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_slow_delong_and_scipy(string name)
    {
        var c = Case("delong", name);
        var result = DeLongTest.Compare(Floats(c["reference"]), Floats(c["candidate"]), Ints(c["labels"]));
        if (c["expected"] is not { } e)
        {
            Assert.Null(result);
            return;
        }
        Assert.NotNull(result);
        Close((double)e["reference_auc"]!, result.ReferenceAuc, name + " reference AUC");
        Close((double)e["candidate_auc"]!, result.CandidateAuc, name + " candidate AUC");
        Close((double)e["difference"]!, result.Difference, name + " difference");
        Close((double)e["variance"]!, result.Variance, name + " variance", 1e-12);
        Close(NullableDouble(e["z"]), result.Z, name + " z");
        Close((double)e["p"]!, result.PValue, name + " p");
        Close((double)e["ci_lower"]!, result.DifferenceLower, name + " CI lower");
        Close((double)e["ci_upper"]!, result.DifferenceUpper, name + " CI upper");
    }

    [Fact]
    public void Max_abs_difference_to_reference()
    {
        double auc = 0, variance = 0, p = 0;
        foreach (var node in Array("delong"))
        {
            if (node!["expected"] is not { } e) continue;
            var r = DeLongTest.Compare(Floats(node["reference"]), Floats(node["candidate"]), Ints(node["labels"]))!;
            auc = Math.Max(auc, Math.Max(Math.Abs(r.ReferenceAuc - (double)e["reference_auc"]!), Math.Abs(r.CandidateAuc - (double)e["candidate_auc"]!)));
            variance = Math.Max(variance, Math.Abs(r.Variance - (double)e["variance"]!));
            p = Math.Max(p, Math.Abs(r.PValue - (double)e["p"]!));
        }
        output.WriteLine($"max |diff| vs reference: AUC {auc:E3}, variance {variance:E3}, p {p:E3}");
        Assert.True(auc <= Tolerance && variance <= 1e-12 && p <= Tolerance);
    }

    [Fact]
    public void Identical_score_sets_give_zero_difference_and_p_one()
    {
        var c = Case("delong", "random 1 n=300");
        var scores = Floats(c["reference"]);
        var result = DeLongTest.Compare(scores, scores, Ints(c["labels"]))!;
        Assert.Equal(0.0, result.Difference);
        Assert.Equal(0.0, result.Variance);
        Assert.Equal(0.0, result.Z);
        Assert.Equal(1.0, result.PValue);
    }

    // Catches a direction error: swapping the models must negate the difference and z and keep p and variance.
    [Fact]
    public void Swapping_the_models_negates_the_difference()
    {
        var c = Case("delong", "random 0 n=1500");
        var a = Floats(c["reference"]);
        var b = Floats(c["candidate"]);
        var labels = Ints(c["labels"]);
        var forward = DeLongTest.Compare(a, b, labels)!;
        var backward = DeLongTest.Compare(b, a, labels)!;
        Assert.Equal(-forward.Difference, backward.Difference);
        Assert.Equal(-forward.Z!.Value, backward.Z!.Value, 12);
        Assert.Equal(forward.PValue, backward.PValue, 12);
        Assert.Equal(forward.Variance, backward.Variance, 15);
    }

    [Fact]
    public void Paired_scores_of_different_lengths_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => DeLongTest.Compare([0.1f, 0.2f, 0.3f, 0.4f], [0.1f, 0.2f, 0.3f], [0, 1, 0, 1]));
        Assert.Contains("same samples", e.Message);
    }
}

using System.Text.Json;
using MLRFNet.Core.Json;
using MLRFNet.Core.Labels;
using MLRFNet.Core.Metrics;
using static MLRFNet.Core.Tests.Metrics.MetricsFixture;

namespace MLRFNet.Core.Tests.Metrics;

public sealed class PairedMultilabelComparisonTests
{
    private static readonly LabelSet Labels = new("test", ["a", "b", "c"]);

    private static PairedComparison CompareFixture(out System.Text.Json.Nodes.JsonObject c)
    {
        c = Case("multilabel", "paired 3 classes");
        var options = new EvaluationOptions
        {
            Bootstrap = new BootstrapOptions { Iterations = (int)c["iterations"]!, Seed = (ulong)c["seed"]!, ConfidenceLevel = (double)c["level"]! },
        };
        return PairedMultilabelComparison.Compare(Floats(c["scores"]), Floats(c["candidate"]), Ints(c["labels"]), Labels, options);
    }

    // Catches: the two models resampled independently (an unpaired CI), the difference taken the other way round,
    // and DeLong fed the wrong columns.
    [Fact]
    public void Matches_reference_delong_and_paired_bootstrap()
    {
        var result = CompareFixture(out var c);
        Assert.Equal(3, result.DefinedClasses);
        double referenceSum = 0, candidateSum = 0;
        for (var k = 0; k < 3; k++)
        {
            var r = result.Classes[k];
            var referenceAuc = (double)c["auc"]![k]!;
            var candidateAuc = (double)c["candidate_auc"]![k]!;
            referenceSum += referenceAuc;
            candidateSum += candidateAuc;
            Close(referenceAuc, r.ReferenceAuc, $"class {k} reference AUC");
            Close(candidateAuc, r.CandidateAuc, $"class {k} candidate AUC");
            Close(candidateAuc - referenceAuc, r.Difference, $"class {k} difference");
            var delong = c["delong"]![k]!;
            Close((double)delong["variance"]!, r.DeLong!.Variance, $"class {k} DeLong variance", 1e-12);
            Close((double)delong["p"]!, r.DeLong.PValue, $"class {k} DeLong p");
            var ci = c["difference_ci"]![k]!;
            Close((double)ci["lower"]!, r.DifferenceInterval!.Lower!.Value, $"class {k} CI lower");
            Close((double)ci["upper"]!, r.DifferenceInterval.Upper!.Value, $"class {k} CI upper");
        }
        Close(referenceSum / 3, result.ReferenceMeanAuc, "reference mean");
        Close(candidateSum / 3, result.CandidateMeanAuc, "candidate mean");
        var mean = c["mean_difference_ci"]!;
        Close((double)mean["lower"]!, result.MeanDifferenceInterval!.Lower!.Value, "mean difference CI lower");
        Close((double)mean["upper"]!, result.MeanDifferenceInterval.Upper!.Value, "mean difference CI upper");
        Assert.Equal((int)mean["skipped"]!, result.MeanDifferenceInterval.Skipped);

        var json = JsonSerializer.Serialize(result, CoreJsonContext.Default.PairedComparison);
        Assert.Equal(result.MeanDifferenceInterval, JsonSerializer.Deserialize(json, CoreJsonContext.Default.PairedComparison)!.MeanDifferenceInterval);
    }

    [Fact]
    public void A_model_compared_with_itself_shows_no_difference()
    {
        var c = Case("multilabel", "paired 3 classes");
        var scores = Floats(c["scores"]);
        var result = PairedMultilabelComparison.Compare(scores, scores, Ints(c["labels"]), Labels,
            new EvaluationOptions { Bootstrap = new BootstrapOptions { Iterations = 100 } });
        Assert.Equal(0.0, result.MeanDifference);
        Assert.Equal(0.0, result.MeanDifferenceInterval!.Lower);
        Assert.Equal(0.0, result.MeanDifferenceInterval.Upper);
        Assert.All(result.Classes, r => Assert.Equal(1.0, r.DeLong!.PValue));
    }

    [Fact]
    public void Undefined_classes_are_left_out_of_the_means()
    {
        // Class b has no positives: no AUCs, no DeLong, and the means average class a only.
        float[] reference = [0.1f, 0.5f, 0.9f, 0.5f, 0.2f, 0.5f, 0.8f, 0.5f];
        float[] candidate = [0.2f, 0.5f, 0.7f, 0.5f, 0.3f, 0.5f, 0.6f, 0.5f];
        int[] labels = [0, 0, 1, 0, 0, 0, 1, 0];
        var result = PairedMultilabelComparison.Compare(reference, candidate, labels, new LabelSet("two", ["a", "b"]),
            new EvaluationOptions { Bootstrap = null });
        Assert.Equal(1, result.DefinedClasses);
        Assert.Null(result.Classes[1].Difference);
        Assert.Null(result.Classes[1].DeLong);
        Assert.Equal(result.Classes[0].Difference, result.MeanDifference);
    }

    [Fact]
    public void A_candidate_of_another_shape_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            PairedMultilabelComparison.Compare(new float[6], new float[3], new int[6], Labels));
        Assert.Contains("same images", e.Message);
    }
}

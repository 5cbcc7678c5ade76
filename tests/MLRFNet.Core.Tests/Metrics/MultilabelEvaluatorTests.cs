using System.Text.Json;
using MLRFNet.Core.Json;
using MLRFNet.Core.Labels;
using MLRFNet.Core.Metrics;
using static MLRFNet.Core.Tests.Metrics.MetricsFixture;

namespace MLRFNet.Core.Tests.Metrics;

public sealed class MultilabelEvaluatorTests
{
    private const string CaseName = "4 classes with rare and undefined";

    private static LabelSet LabelsFor(int classes) =>
        new("test", Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray());

    private static MultilabelEvaluation EvaluateFixture(out System.Text.Json.Nodes.JsonObject c, float[]? thresholds = null)
    {
        c = Case("multilabel", CaseName);
        var options = new EvaluationOptions
        {
            Bootstrap = new BootstrapOptions { Iterations = (int)c["iterations"]!, Seed = (ulong)c["seed"]!, ConfidenceLevel = (double)c["level"]! },
            Thresholds = thresholds,
        };
        return MultilabelEvaluator.Evaluate(Floats(c["scores"]), Ints(c["labels"]), LabelsFor((int)c["classes"]!), options);
    }

    // Catches: reading the [n, C] layout column-major, averaging undefined classes into the mean (as 0.5 or NaN),
    // per-class bootstraps drawn independently instead of jointly, and mean-CI resamples that drop a class instead
    // of being skipped.
    [Fact]
    public void Matches_sklearn_per_class_mean_and_joint_bootstrap()
    {
        var result = EvaluateFixture(out var c);
        var classes = (int)c["classes"]!;
        Assert.Equal((int)c["n"]!, result.Images);
        Assert.Equal(classes, result.Classes.Count);
        Assert.Equal((int)c["defined_classes"]!, result.DefinedClasses);
        Close(NullableDouble(c["mean_auc"]), result.MeanAuc, "mean AUC");
        for (var k = 0; k < classes; k++)
        {
            var r = result.Classes[k];
            Assert.Equal($"class{k}", r.Label);
            Close(NullableDouble(c["auc"]![k]), r.Auc, $"class {k} AUC");
            var ci = c["auc_ci"]![k]!;
            Close(NullableDouble(ci["lower"]), r.AucInterval!.Lower, $"class {k} CI lower");
            Close(NullableDouble(ci["upper"]), r.AucInterval.Upper, $"class {k} CI upper");
            Assert.Equal((int)ci["skipped"]!, r.AucInterval.Skipped);
            if (c["youden"]![k] is { } youden)
            {
                Assert.Equal((float)(double)youden["threshold"]!, r.Youden!.Threshold);
                Assert.Equal(r.Youden.Threshold, r.AtYouden!.Threshold);
            }
            else
            {
                Assert.Null(r.Youden);
                Assert.Null(r.AtYouden);
            }
        }
        var mean = c["mean_auc_ci"]!;
        Close(NullableDouble(mean["lower"]), result.MeanAucInterval!.Lower, "mean CI lower");
        Close(NullableDouble(mean["upper"]), result.MeanAucInterval.Upper, "mean CI upper");
        Assert.Equal((int)mean["skipped"]!, result.MeanAucInterval.Skipped);
    }

    [Fact]
    public void The_fixture_exercises_an_undefined_and_a_rare_class()
    {
        var result = EvaluateFixture(out _);
        Assert.Contains(result.Classes, r => !r.IsDefined && r.AucInterval!.Skipped == r.AucInterval.Iterations);
        Assert.Contains(result.Classes, r => r.IsDefined && r.AucInterval!.Skipped > 0);
        Assert.True(result.DefinedClasses < result.Classes.Count);
    }

    [Fact]
    public void Given_thresholds_give_sklearn_metrics_per_class()
    {
        var result = EvaluateFixture(out var c, thresholds: [0.5f, 0.5f, 0.5f, 0.5f]);
        for (var k = 0; k < result.Classes.Count; k++)
            ThresholdMetricsTests.AssertMetrics(c["at_half"]![k]!, result.Classes[k].AtGivenThreshold!, $"class {k}");
    }

    [Fact]
    public void No_bootstrap_options_means_no_intervals()
    {
        // Row-major: image 0 = (0.1, 0.9), image 1 = (0.8, 0.2); class 0 separates perfectly, class 1 inversely.
        var result = MultilabelEvaluator.Evaluate([0.1f, 0.9f, 0.8f, 0.2f], [0, 0, 1, 1], LabelsFor(2),
            new EvaluationOptions { Bootstrap = null });
        Assert.All(result.Classes, r => Assert.Null(r.AucInterval));
        Assert.Null(result.MeanAucInterval);
        Assert.Equal(1.0, result.Classes[0].Auc);
        Assert.Equal(0.0, result.Classes[1].Auc);
    }

    [Fact]
    public void No_defined_class_gives_no_mean()
    {
        var result = MultilabelEvaluator.Evaluate([0.1f, 0.9f], [1, 1], LabelsFor(1), new EvaluationOptions { Bootstrap = new() { Iterations = 10 } });
        Assert.Null(result.MeanAuc);
        Assert.Equal(0, result.DefinedClasses);
        Assert.False(result.MeanAucInterval!.IsDefined);
    }

    // Catches a result type missing from CoreJsonContext (AOT serialization would throw) and NaN leaking into JSON.
    [Fact]
    public void Serializes_with_the_source_generated_context()
    {
        var result = EvaluateFixture(out _, thresholds: [0.5f, 0.5f, 0.5f, 0.5f]);
        var json = JsonSerializer.Serialize(result, CoreJsonContext.Default.MultilabelEvaluation);
        var back = JsonSerializer.Deserialize(json, CoreJsonContext.Default.MultilabelEvaluation)!;
        Assert.Equal(result.MeanAuc, back.MeanAuc);
        Assert.Equal(result.MeanAucInterval, back.MeanAucInterval);
        Assert.Equal(result.Classes.Select(r => r.Auc), back.Classes.Select(r => r.Auc));
        Assert.Equal(result.Classes.Select(r => r.AtYouden), back.Classes.Select(r => r.AtYouden));
        Assert.Contains("\"isDefined\": false", json);
    }

    [Fact]
    public void Bad_layout_and_options_are_rejected_with_the_reason()
    {
        var labels = LabelsFor(3);
        Assert.Contains("whole number of images", Assert.Throws<ArgumentException>(() =>
            MultilabelEvaluator.Evaluate(new float[4], new int[4], labels)).Message);
        Assert.Contains("class 'class2'", Assert.Throws<ArgumentException>(() =>
            MultilabelEvaluator.Evaluate(new float[6], [0, 1, 0, 1, 0, -1], labels)).Message);
        Assert.Contains("image 1, class 'class0'", Assert.Throws<ArgumentException>(() =>
            MultilabelEvaluator.Evaluate([0, 0, 0, float.NaN, 0, 0], new int[6], labels)).Message);
        Assert.Contains("2 thresholds for 3 classes", Assert.Throws<ArgumentException>(() =>
            MultilabelEvaluator.Evaluate(new float[6], new int[6], labels, new EvaluationOptions { Thresholds = [0.5f, 0.5f] })).Message);
    }
}

using MLRFNet.Training.Models.Heads;
using MLRFNet.Training.Tests.TestSupport;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLRFNet.Training.Tests.Models.Heads;

public sealed class ClassSpecificResidualAttentionTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("99")]   // max pooling sentinel
    [InlineData("1")]    // softmax-weighted
    [InlineData("2.5")]
    public void Logits_MatchCsraReferenceCode(string temperature)
    {
        // layer_references.json "csra": the CSRA reference code, lambda 0.5, [2, 12, 3, 4] input, 3 classes. Catches a
        // missing/wrong weight normalisation, the wrong pooling for T = 99, softmax over the wrong axis, lambda misuse.
        var csra = Fixture.Json("layer_references.json").GetProperty("csra");
        using var head = new ClassSpecificResidualAttention(12, 3, float.Parse(temperature, System.Globalization.CultureInfo.InvariantCulture), 0.5f);
        using (no_grad()) head.state_dict()["head.weight"].copy_(Fixture.Tensor(csra.GetProperty("head_weight")));
        using var x = Fixture.Tensor(csra.GetProperty("input"));
        using var logits = head.call(x);
        var diff = Fixture.MaxAbsDiff(logits, Fixture.Tensor(csra.GetProperty("logits_by_temperature").GetProperty(temperature)));
        output.WriteLine($"CSRA T={temperature} max abs diff {diff:E2}");
        Assert.True(diff < 1e-5, $"max abs diff {diff}");

        using var map = head.ScoreMap(x);
        Assert.True(Fixture.MaxAbsDiff(map, Fixture.Tensor(csra.GetProperty("score_map"))) < 1e-5);
    }

    [Fact]
    public void MultiLevelClassifier_SumsThreeHeadsWithPaperLambdas()
    {
        // layer_references.json "mrfc": three CSRA heads (lambda 0.5/0.3/0.1, T = 99) summed, levels of different sizes.
        var mrfc = Fixture.Json("layer_references.json").GetProperty("mrfc");
        using var classifier = new MultiLevelResidualClassifier([6, 8, 10], 3, HeadConfig.PaperMrfc.Lambdas, HeadConfig.PaperMrfc.Temperature);
        var weights = mrfc.GetProperty("head_weights").EnumerateArray().ToArray();
        using (no_grad())
            for (var i = 0; i < 3; i++) classifier.state_dict()[$"csra.{i}.head.weight"].copy_(Fixture.Tensor(weights[i]));
        var levels = mrfc.GetProperty("levels").EnumerateArray().Select(Fixture.Tensor).ToArray();
        using var result = classifier.Classify(levels);
        var diff = Fixture.MaxAbsDiff(result.Logits, Fixture.Tensor(mrfc.GetProperty("logits")));
        output.WriteLine($"MRFC max abs diff {diff:E2}");
        Assert.True(diff < 1e-5, $"max abs diff {diff}");
        Assert.Equal(3, result.ScoreMaps.Count);
        Assert.Equal(new long[] { 2, 3, 1, 3 }, result.ScoreMaps[2].shape);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void NonPositiveTemperature_IsRejected(float t) =>
        Assert.Throws<ArgumentException>(() => new ClassSpecificResidualAttention(4, 2, t, 0.5f));
}

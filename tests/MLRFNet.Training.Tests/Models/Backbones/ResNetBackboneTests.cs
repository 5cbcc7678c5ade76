using MLRFNet.Training.Models;
using MLRFNet.Training.Models.Backbones;
using MLRFNet.Training.Tests.TestSupport;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLRFNet.Training.Tests.Models.Backbones;

public sealed class ResNetBackboneTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, BackboneConfig> Configs = new()
    {
        ["res2net50_26w_4s"] = ModelVariants.Res2Net50,
        ["resnet50"] = ModelVariants.ResNet50,
        ["resnet18"] = ModelVariants.ResNet18,
        ["resnet18_cntk"] = ModelVariants.ResNet18Cntk,
    };

    public static TheoryData<string> Layouts => [.. Configs.Keys];

    [Fact]
    public void Res2Net50_HasTheIssuesParameterAndEntryCounts()
    {
        // Issue 3: Res2Net-50 26w x 4s backbone without fc = 23,650,120 parameters in 510 state_dict entries.
        using var backbone = new ResNetBackbone(ModelVariants.Res2Net50);
        Assert.Equal(23_650_120L, backbone.parameters().Sum(p => p.numel()));
        Assert.Equal(510, backbone.state_dict().Count);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void StateDict_HasExactlyTheReferenceKeysAndShapes(string reference)
    {
        // backbone_keys.json: keys and shapes of timm-layout Res2Net-50 / torchvision resnet50 / resnet18 /
        // ResNet(BasicBlock, [2, 2, 2, 3]) minus fc.
        var expected = Fixture.Json("backbone_keys.json").GetProperty(reference);
        using var backbone = new ResNetBackbone(Configs[reference]);
        var actual = backbone.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        var expectedKeys = expected.GetProperty("state_dict").EnumerateArray()
            .ToDictionary(e => e[0].GetString()!, e => e[1].EnumerateArray().Select(d => d.GetInt64()).ToArray());

        Assert.Equal(expectedKeys.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, shape) in expectedKeys) Assert.True(shape.SequenceEqual(actual[key]), $"{key}: expected [{string.Join(",", shape)}], got [{string.Join(",", actual[key])}]");
        Assert.Equal(expected.GetProperty("parameters").GetInt64(), backbone.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData("mlrfnet", 512, 1024, 2048)]
    [InlineData("resnet50-mrfc", 512, 1024, 2048)]
    [InlineData("mlrfnet-r18", 128, 256, 512)]
    [InlineData("mlrfnet-tiny", 128, 256, 512)]
    public void Levels_At224_Are28_14_7(string variant, int c2, int c3, int c4)
    {
        using var backbone = new ResNetBackbone(ModelVariants.Get(variant).Backbone);
        backbone.eval();
        using var noGrad = no_grad();
        using var x = zeros(1, 3, 224, 224);
        using var features = backbone.call(x);
        Assert.Equal(new long[] { 1, c2, 28, 28 }, features.U2.shape);
        Assert.Equal(new long[] { 1, c3, 14, 14 }, features.U3.shape);
        Assert.Equal(new long[] { 1, c4, 7, 7 }, features.U4.shape);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Forward_MatchesPyTorchReference_OnFormulaWeights(string reference)
    {
        // formula_parity.pt: torchvision resnet50/resnet18 (and the timm-layout Res2Net-50 port) in eval mode with the
        // same deterministic weights, input 1x3x64x64. Catches wrong strides/padding/pool placement, block wiring, BN.
        var expected = Fixture.Tensors("formula_parity.pt");
        using var backbone = new ResNetBackbone(Configs[reference]);
        FormulaWeights.Fill(backbone);
        backbone.eval();
        using var noGrad = no_grad();
        using var x = FormulaWeights.Input(1, 3, 64, 64);
        Assert.True(Fixture.MaxAbsDiff(x, expected["input"]) < 1e-6, "formula input differs from the fixture's");
        using var features = backbone.call(x);
        string[] names = ["u2", "u3", "u4"];
        for (var i = 0; i < 3; i++)
        {
            var reference_ = expected[$"{reference}.{names[i]}"];
            var diff = Fixture.MaxAbsDiff(features.Levels[i], reference_);
            output.WriteLine($"{Configs[reference].Block} {string.Join("-", Configs[reference].Depths)} vs {reference} {names[i]} [{string.Join("x", reference_.shape)}]: max abs diff {diff:E2}");
            Assert.True(diff < 1e-4, $"{names[i]} max abs diff {diff}");
        }
    }
}

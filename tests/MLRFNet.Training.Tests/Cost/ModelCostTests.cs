using MLRFNet.Training.Cost;
using MLRFNet.Training.Models;
using MLRFNet.Training.Tests.TestSupport;
using Xunit.Abstractions;

namespace MLRFNet.Training.Tests.Cost;

public sealed class ModelCostTests(ITestOutputHelper output)
{
    // cost_references.json (make_model_references.py): PyTorch forward-hook counts at 224x224. Its torchvision
    // resnet50/resnet18 numbers (4,089,184,256 / 1,814,073,344 with fc) equal torchvision's published 4.09 / 1.81
    // GFLOPS, which pins the counting convention.
    private static readonly System.Text.Json.JsonElement Reference = Fixture.Json("cost_references.json");

    [Theory]
    [InlineData("mlrfnet", "mlrfnet_14_classes")]
    public void Mlrfnet_MatchesPyTorchCount(string variant, string reference)
    {
        var cost = ModelCost.Measure(ModelVariants.Get(variant), 14);
        output.WriteLine(cost.Describe());
        Assert.Equal(Reference.GetProperty(reference).GetInt64(), cost.MultiplyAccumulates);
        Assert.Equal(Reference.GetProperty("mlrfnet_14_classes_parameters").GetInt64(), cost.Parameters);
        Assert.Equal(Reference.GetProperty("res2net50_26w_4s").GetInt64(), cost.MultiplyAccumulatesByPart["backbone"]);
        // The paper reports 4.29 G; this count gives 4.263 G (the paper does not say what its tool counts beyond convs).
        Assert.InRange(cost.MultiplyAccumulates / 1e9, 4.2, 4.35);
    }

    [Theory]
    [InlineData("resnet50-mrfc", "resnet50")]
    [InlineData("mlrfnet-r18", "resnet18_cntk")]
    public void BackboneMacs_MatchPyTorchCount(string variant, string reference)
    {
        var cost = ModelCost.Measure(ModelVariants.Get(variant), 14);
        output.WriteLine(cost.Describe());
        Assert.Equal(Reference.GetProperty(reference).GetInt64(), cost.MultiplyAccumulatesByPart["backbone"]);
    }

    [Fact]
    public void TinyInput_IsRejected() => Assert.Throws<ArgumentException>(() => ModelCost.Measure(ModelVariants.Get("mlrfnet-tiny"), 2, 16));
}

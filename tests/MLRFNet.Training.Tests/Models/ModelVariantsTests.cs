using MLRFNet.Training.Models;

namespace MLRFNet.Training.Tests.Models;

public sealed class ModelVariantsTests
{
    [Fact]
    public void Registry_HoldsTheIssuesVariants()
    {
        string[] expected = ["mlrfnet", "mlrfnet-gap-fc", "mlrfnet-no-eca", "mlrfnet-r18", "mlrfnet-tiny", "resnet50-mrfc"];
        Assert.Equal(expected, ModelVariants.Names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void UnknownName_ListsKnownVariants()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => ModelVariants.Get("mlrfnet-xl"));
        Assert.Contains("mlrfnet-xl", e.Message);
        Assert.Contains("mlrfnet-tiny", e.Message);
    }

    [Fact]
    public void DuplicateName_Throws() =>
        Assert.Throws<ArgumentException>(() => ModelVariants.Register(ModelVariants.Get("mlrfnet") with { Description = "again" }));

    [Fact]
    public void PaperDefaults_AreLambda05_03_01AndMaxPooling()
    {
        var head = ModelVariants.Get("mlrfnet").Head;
        Assert.Equal([0.5f, 0.3f, 0.1f], head.Lambdas);
        Assert.Equal(99f, head.Temperature);
        Assert.False(ModelVariants.Get("mlrfnet-no-eca").UseEca);
    }
}

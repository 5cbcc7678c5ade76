using MLRFNet.Core.Labels;
using MLRFNet.Inference.Tests.Support;

namespace MLRFNet.Inference.Tests;

/// <summary>The model's I/O is checked against its manifest when it loads, not when the first image fails.</summary>
public sealed class ModelContractTests
{
    [Fact]
    public void A_manifest_with_another_label_count_is_refused()
    {
        // Catches: a 5-label CheXpert manifest paired with a 14-class model, which would mislabel every score.
        var five = LabelSets.CheXpertCompetition;
        using var copy = TinyModel.Copy(m => m with { LabelSetName = five.Name, Labels = [.. five.Labels] });
        var e = Assert.Throws<ModelContractException>(() => new OnnxXrayScorer(copy.ModelPath));
        Assert.Contains("'logits' must be float32 [N, 5]", e.Message);
        Assert.Contains("Float [N, 14]", e.Message);
    }

    [Fact]
    public void A_manifest_whose_preprocessing_produces_another_size_is_refused()
    {
        using var copy = TinyModel.Copy(m => m with { Preprocessing = m.Preprocessing with { ResizeSize = 320, CropSize = 288 } });
        var e = Assert.Throws<ModelContractException>(() => new OnnxXrayScorer(copy.ModelPath));
        Assert.Contains("[N, 3, 288, 288]", e.Message);
        Assert.Contains("[N, 3, 224, 224]", e.Message);
    }
}

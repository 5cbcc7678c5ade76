using MLRFNet.Training.Models.Heads;
using static TorchSharp.torch;

namespace MLRFNet.Training.Tests.Models.Heads;

public sealed class GlobalAveragePoolClassifierTests
{
    [Fact]
    public void Logits_AreLinearOfSpatialMean_AndEqualTheScoreMapMean()
    {
        // Hand computation: 1 channel map [[1, 2], [3, 6]] -> mean 3; fc weight 2, bias 0.5 -> logit 6.5.
        using var head = new GlobalAveragePoolClassifier(1, 1);
        using (no_grad())
        {
            head.state_dict()["fc.weight"].fill_(2f);
            head.state_dict()["fc.bias"].fill_(0.5f);
        }
        using var u4 = tensor(new float[] { 1, 2, 3, 6 }).reshape(1, 1, 2, 2);
        using var result = head.Classify([u4]);
        Assert.Equal(6.5f, result.Logits.item<float>(), 5);
        Assert.Equal(new float[] { 2.5f, 4.5f, 6.5f, 12.5f }, result.ScoreMaps[0].data<float>().ToArray());
    }
}

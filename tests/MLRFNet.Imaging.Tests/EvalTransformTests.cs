using MLRFNet.Core.Preprocessing;
using MLRFNet.Imaging.Tests.Fixtures;
using MLRFNet.Imaging.Tests.Transforms;

namespace MLRFNet.Imaging.Tests;

public class EvalTransformTests
{
    public static TheoryData<int> Cases() => new(Enumerable.Range(0, FixtureFiles.Load("transform_fixtures.json")["eval"]!.AsArray().Count));

    /// <summary>
    /// Against torchvision Resize(256, antialias) → CenterCrop(224) → /255 → 3 channels → Normalize(ImageNet) for
    /// landscape, portrait, square and a half-pixel crop offset. Catches a wrong resize size, crop offset, channel
    /// order of mean/std, or scale.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void ToTensor_MatchesTorchvision(int index)
    {
        var c = FixtureFiles.Load("transform_fixtures.json")["eval"]![index]!;
        int width = c["width"]!.GetValue<int>(), height = c["height"]!.GetValue<int>();
        var image = new XrayImage(width, height, ResizeTests.Pattern(width, height), 8, XrayFormat.Png);
        var tensor = EvalTransform.ToTensor(image, PreprocessingSpec.ImageNet);
        Assert.Equal(3 * 224 * 224, tensor.Length);
        foreach (var s in c["samples"]!.AsArray())
        {
            int channel = s![0]!.GetValue<int>(), y = s[1]!.GetValue<int>(), x = s[2]!.GetValue<int>();
            var expected = s[3]!.GetValue<float>();
            // 2e-3 gray levels of resize error, divided by 255 · std ≈ 57: about 4e-5 in normalised units.
            Assert.True(Math.Abs(expected - tensor[channel * 224 * 224 + y * 224 + x]) < 1e-4,
                $"[{channel},{y},{x}]: ours {tensor[channel * 224 * 224 + y * 224 + x]}, torchvision {expected}");
        }
        var means = c["channelMeans"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        for (var ch = 0; ch < 3; ch++)
            Assert.Equal(means[ch], tensor.AsSpan(ch * 224 * 224, 224 * 224).ToArray().Average(v => (double)v), 4);
    }

    [Fact]
    public void SingleChannelSpec_WritesOnePlane()
    {
        var spec = new PreprocessingSpec { Channels = 1, Mean = [0.5f], Std = [0.25f], ResizeSize = 8, CropSize = 4 };
        var image = new XrayImage(8, 8, Enumerable.Repeat(255f, 64).ToArray(), 8, XrayFormat.Png);
        Assert.Equal(Enumerable.Repeat(2f, 16), EvalTransform.ToTensor(image, spec));   // (1 − 0.5) / 0.25
    }

    [Fact]
    public void WrongDestinationLength_IsRejected()
    {
        var image = new XrayImage(8, 8, new float[64], 8, XrayFormat.Png);
        Assert.Throws<ArgumentException>(() => EvalTransform.ToTensor(image, PreprocessingSpec.ImageNet, new float[10]));
    }
}

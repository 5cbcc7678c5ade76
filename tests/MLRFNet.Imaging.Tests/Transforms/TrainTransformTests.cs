using MLRFNet.Core.Preprocessing;
using MLRFNet.Imaging.Transforms;

namespace MLRFNet.Imaging.Tests.Transforms;

public class TrainTransformTests
{
    private static XrayImage Sample() => new(300, 280, ResizeTests.Pattern(300, 280), 8, XrayFormat.Png);

    [Fact]
    public void SameSeed_SameTensor_DifferentSeed_DifferentTensor()
    {
        var spec = PreprocessingSpec.ImageNet;
        var a = TrainTransform.ToTensor(Sample(), spec, AugmentationOptions.Default, new Random(11));
        var b = TrainTransform.ToTensor(Sample(), spec, AugmentationOptions.Default, new Random(11));
        var c = TrainTransform.ToTensor(Sample(), spec, AugmentationOptions.Default, new Random(12));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(3 * 224 * 224, a.Length);
    }

    /// <summary>With every augmentation off and a 256×256 input the random crop is the only change: check it is a crop.</summary>
    [Fact]
    public void NoAugmentation_IsACropOfTheResizedImage()
    {
        var options = new AugmentationOptions { FlipProbability = 0, MaxRotationDegrees = 0, Brightness = 0, Contrast = 0 };
        var spec = new PreprocessingSpec { Channels = 1, Mean = [0f], Std = [1f], PixelScale = 1f };
        var source = ResizeTests.Pattern(256, 256);
        var tensor = TrainTransform.ToTensor(new XrayImage(256, 256, source, 8, XrayFormat.Png), spec, options, new Random(5));
        var probe = new Random(5);
        int top = probe.Next(0, 33), left = probe.Next(0, 33);
        Assert.Equal(CenterCrop.Apply(source, 256, 256, new CropWindow(left, top, 224, 224)), tensor);
    }

    [Fact]
    public void HorizontalFlip_MirrorsEachRow()
    {
        float[] pixels = [1, 2, 3, 4, 5, 6];   // 3 wide, 2 high
        HorizontalFlip.Apply(pixels, 3, 2);
        Assert.Equal([3f, 2f, 1f, 6f, 5f, 4f], pixels);
    }

    [Fact]
    public void RotationByZero_IsIdentity()
    {
        var source = ResizeTests.Pattern(37, 23);
        var output = new float[source.Length];
        Rotation.Apply(source, output, 37, 23, 0);
        Assert.Equal(source, output);
    }

    /// <summary>+90° is counter-clockwise (torchvision): the right column moves to the top row.</summary>
    [Fact]
    public void RotationBy90_IsCounterClockwise()
    {
        float[] source = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var output = new float[9];
        Rotation.Apply(source, output, 3, 3, 90);
        Assert.Equal([3f, 6f, 9f, 2f, 5f, 8f, 1f, 4f, 7f], output, new Dicom.Tolerance(1e-5f));
    }

    [Fact]
    public void RotationBy45_FillsCornersWithZero()
    {
        var source = Enumerable.Repeat(100f, 21 * 21).ToArray();
        var output = new float[source.Length];
        Rotation.Apply(source, output, 21, 21, 45);
        Assert.Equal(0f, output[0]);
        Assert.Equal(100f, output[10 * 21 + 10], 3);
    }

    [Fact]
    public void Brightness_MultipliesAndClamps()
    {
        float[] pixels = [0, 100, 200, 240];
        ColorJitter.Brightness(pixels, 1.1);
        Assert.Equal([0f, 110f, 220f, 255f], pixels, new Dicom.Tolerance(1e-4f));
    }

    [Fact]
    public void Contrast_BlendsWithTheMeanGray()
    {
        float[] pixels = [0, 100, 200];   // mean 100
        ColorJitter.Contrast(pixels, 0.9);
        Assert.Equal([10f, 100f, 190f], pixels, new Dicom.Tolerance(1e-4f));
    }

    [Fact]
    public void InvalidOptions_AreRejected() =>
        Assert.Throws<ArgumentException>(() => new AugmentationOptions { FlipProbability = 2 }.Validate());
}

using MLRFNet.Imaging.Transforms;

namespace MLRFNet.Imaging.Tests.Transforms;

public class CenterCropTests
{
    [Theory]
    [InlineData(256, 256, 224, 16, 16)]
    [InlineData(301, 256, 224, 38, 16)]   // (301 − 224)/2 = 38.5 → 38: Python rounds half to even
    [InlineData(303, 256, 224, 40, 16)]   // 39.5 → 40
    [InlineData(349, 256, 224, 62, 16)]   // 62.5 → 62
    public void Window_RoundsHalfToEvenLikeTorchvision(int width, int height, int size, int left, int top) =>
        Assert.Equal(new CropWindow(left, top, size, size), CenterCrop.Window(width, height, size));

    [Fact]
    public void CropLargerThanImage_IsRejected() =>
        Assert.Contains("does not fit", Assert.Throws<ArgumentException>(() => CenterCrop.Window(200, 300, 224)).Message);

    [Fact]
    public void Apply_CopiesTheWindow()
    {
        var source = Enumerable.Range(0, 5 * 4).Select(i => (float)i).ToArray();   // 5 wide, 4 high
        Assert.Equal([6f, 7f, 8f, 11f, 12f, 13f], CenterCrop.Apply(source, 5, 4, new CropWindow(1, 1, 3, 2)));
    }
}

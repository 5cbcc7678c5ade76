using MLRFNet.Core.Preprocessing;
using MLRFNet.Imaging.Transforms;

namespace MLRFNet.Imaging.Tests.Transforms;

/// <summary>
/// Expected values worked by hand from torchvision 0.14's <c>Resize(256)</c> (longer side <c>int(256 · long / short)</c>)
/// and <c>CenterCrop(224)</c> (offset <c>round((resized − 224) / 2)</c>, half to even); the film region follows from
/// the resize's half-pixel grid: resized pixel i covers film <c>[i · source/resized, (i + 1) · source/resized)</c>.
/// tests/MLRFNet.Edge.Tests/Reports/HeatmapCropRegionTests reads the same region back from the preprocessing itself.
/// </summary>
public sealed class CropGeometryTests
{
    [Theory]
    // 1000x1339: 256 x int(342.784) = 342 (rounding would give 343 and a crop top of round(59.5) = 60, not 59).
    [InlineData(1000, 1339, 256, 342, 16, 59, 62.5, 230.9971, 875.0, 877.0058)]
    // 400x300: int(341.33) = 341 x 256, left round(58.5) = 58 (half to even).
    [InlineData(400, 300, 341, 256, 58, 16, 68.0352, 18.75, 262.7566, 262.5)]
    // 2500x2048: int(312.5) = 312 x 256, left 44.
    [InlineData(2500, 2048, 312, 256, 44, 16, 352.5641, 128.0, 1794.8718, 1792.0)]
    // 200x300 (enlarged): 256 x int(384.0) = 384, top 80; the film region is 175 x 175 at (12.5, 62.5).
    [InlineData(200, 300, 256, 384, 16, 80, 12.5, 62.5, 175.0, 175.0)]
    public void OfTheImageNetSpec_IsTorchvisionsResizeThenCenterCrop(int width, int height, int resizedWidth, int resizedHeight,
        int cropLeft, int cropTop, double left, double top, double regionWidth, double regionHeight)
    {
        var geometry = CropGeometry.Of(width, height, PreprocessingSpec.ImageNet);
        Assert.Equal((resizedWidth, resizedHeight), (geometry.ResizedWidth, geometry.ResizedHeight));
        Assert.Equal(new CropWindow(cropLeft, cropTop, 224, 224), geometry.Window);
        var region = geometry.SourceRegion;
        Assert.Equal(left, region.Left, 3);
        Assert.Equal(top, region.Top, 3);
        Assert.Equal(regionWidth, region.Width, 3);
        Assert.Equal(regionHeight, region.Height, 3);
    }

    [Fact]
    public void EvalTransform_SamplesTheGeometrysWindow()
    {
        // A film whose resized image is known: resizing 342 -> 342 rows is the identity, so with a 256x342 film the
        // crop's first row is film row 59 exactly when EvalTransform uses the geometry's window.
        const int width = 256, height = 342;
        var pixels = new float[width * height];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                pixels[y * width + x] = 1000 * y + x;
        var spec = PreprocessingSpec.ImageNet with { Channels = 1, PixelScale = 1f, Mean = [0f], Std = [1f] };
        var tensor = EvalTransform.ToTensor(new XrayImage(width, height, pixels, 16, XrayFormat.Png), spec);
        var window = CropGeometry.Of(width, height, spec).Window;
        Assert.Equal(new CropWindow(16, 59, 224, 224), window);
        Assert.Equal(1000 * 59 + 16, tensor[0]);
        Assert.Equal(1000 * (59 + 223) + 16 + 223, tensor[^1]);
    }
}

using MLRFNet.Imaging.Tests.Fixtures;
using MLRFNet.Imaging.Transforms;

namespace MLRFNet.Imaging.Tests.Transforms;

public class ResizeTests
{
    /// <summary>The synthetic input of make_transform_fixtures.py: (3x² + 17y + xy) mod 256.</summary>
    internal static float[] Pattern(int width, int height)
    {
        var pixels = new float[width * height];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++) pixels[y * width + x] = (3L * x * x + 17 * y + (long)x * y) % 256;
        return pixels;
    }

    public static TheoryData<int> Cases() => new(Enumerable.Range(0, FixtureFiles.Load("transform_fixtures.json")["resize"]!.AsArray().Count));

    /// <summary>
    /// Down by ~4x and ~2x (antialiased), identity, up, and mixed (down in x, up in y) against torch's
    /// antialiased bilinear and Pillow's BILINEAR on float images. Catches a plain (non-antialiased) bilinear,
    /// align_corners=True, a wrong pixel-centre offset, or missing edge renormalisation.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Bilinear_MatchesTorchAntialiasAndPillow(int index)
    {
        var c = FixtureFiles.Load("transform_fixtures.json")["resize"]![index]!;
        int width = c["width"]!.GetValue<int>(), height = c["height"]!.GetValue<int>();
        int outWidth = c["outWidth"]!.GetValue<int>(), outHeight = c["outHeight"]!.GetValue<int>();
        var ours = Resize.Bilinear(Pattern(width, height), width, height, outWidth, outHeight);
        // FP32 tolerance on a 0..255 scale; torch computes weights in float32, Pillow in double.
        AssertMaxAbs(FixtureFiles.Floats(c["torch"]), ours, 2e-3, "torch");
        AssertMaxAbs(FixtureFiles.Floats(c["pillow"]), ours, 1e-4, "pillow");
    }

    /// <summary>Computing only a window must equal resizing everything and cropping (the EvalTransform shortcut).</summary>
    [Fact]
    public void Window_EqualsResizeThenCrop()
    {
        var source = Pattern(97, 61);
        var full = Resize.Bilinear(source, 97, 61, 40, 25);
        var window = new CropWindow(7, 3, 20, 17);
        var part = new float[20 * 17];
        Resize.Bilinear(source, 97, 61, 40, 25, window, part);
        Assert.Equal(CenterCrop.Apply(full, 40, 25, window), part);
    }

    [Fact]
    public void SameSize_IsIdentity()
    {
        var source = Pattern(31, 17);
        Assert.Equal(source, Resize.Bilinear(source, 31, 17, 31, 17));
    }

    [Fact]
    public void Constant_StaysConstant()
    {
        var source = Enumerable.Repeat(42.5f, 100 * 70).ToArray();
        Assert.All(Resize.Bilinear(source, 100, 70, 23, 91), v => Assert.Equal(42.5f, v, 3));
    }

    [Theory]
    [InlineData(1024, 1024, 256, 256, 256)]
    [InlineData(410, 300, 256, 349, 256)]    // int(256 * 410 / 300) = int(349.87) = 349: truncation, as torchvision
    [InlineData(300, 410, 256, 256, 349)]
    [InlineData(2500, 2048, 256, 312, 256)]  // int(312.5) = 312
    public void ShorterSideTo_KeepsAspectTruncating(int width, int height, int size, int expectedWidth, int expectedHeight) =>
        Assert.Equal((expectedWidth, expectedHeight), Resize.ShorterSideTo(width, height, size));

    private static void AssertMaxAbs(float[] expected, float[] actual, double tolerance, string reference)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"max |ours - {reference}| = {worst}, tolerance {tolerance}");
    }

    [Theory]
    [InlineData(12, 9, 4, 3)]   // integer factor 3: plain block means
    [InlineData(7, 5, 3, 2)]    // fractional footprints: partial pixels at the edges
    [InlineData(5, 5, 5, 5)]    // identity
    public void Area_IsTheMeanOverEachOutputPixelsFootprint(int width, int height, int outWidth, int outHeight)
    {
        // Independent of the kernel's arithmetic: integrate the piecewise-constant image over each output footprint
        // on a fine grid (every footprint edge, a multiple of width/outWidth, falls on it) and divide by the area.
        var source = Pattern(width, height);
        var actual = Resize.Area(source, width, height, outWidth, outHeight);
        const int fine = 210; // divisible by every outWidth/outHeight above
        for (var oy = 0; oy < outHeight; oy++)
            for (var ox = 0; ox < outWidth; ox++)
            {
                double sum = 0;
                var count = 0;
                for (var fy = oy * fine; fy < (oy + 1) * fine; fy++)
                    for (var fx = ox * fine; fx < (ox + 1) * fine; fx++)
                    {
                        // Sample centre of the fine cell, in input pixels.
                        var x = (int)((fx + 0.5) * width / (outWidth * (double)fine));
                        var y = (int)((fy + 0.5) * height / (outHeight * (double)fine));
                        sum += source[y * width + x];
                        count++;
                    }
                Assert.Equal(sum / count, actual[oy * outWidth + ox], 3);
            }
    }

    [Fact]
    public void Area_RefusesToEnlarge() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Resize.Area(new float[4], 2, 2, 3, 3));
}

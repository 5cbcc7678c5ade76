using System.Text.Json;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Edge.Reports;
using MLRFNet.Imaging;
using MLRFNet.Inference;

namespace MLRFNet.Edge.Tests.Reports;

/// <summary>Heatmap maths against PyTorch and matplotlib (Fixtures/make_heatmap_fixtures.py).</summary>
public sealed class HeatmapTests
{
    private static readonly JsonElement fixtures =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "heatmap_fixtures.json"))).RootElement;

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    [Fact]
    public void UpsamplingMatchesTorchBilinearWithoutAlignCorners()
    {
        // Catches: align_corners=True geometry, missing edge clamp, swapped x/y, off-by-half-pixel centres.
        foreach (var c in fixtures.GetProperty("upsample").EnumerateArray())
        {
            int h = c.GetProperty("height").GetInt32(), w = c.GetProperty("width").GetInt32();
            int oh = c.GetProperty("outHeight").GetInt32(), ow = c.GetProperty("outWidth").GetInt32();
            var expected = Floats(c.GetProperty("output"));
            var actual = ClassMapUpsampler.Upsample(Floats(c.GetProperty("input")), h, w, oh, ow);
            Assert.Equal(expected.Length, actual.Length);
            var maxDiff = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(maxDiff < 1e-5f, $"{h}x{w}->{oh}x{ow}: max |diff| {maxDiff}");
        }
    }

    [Fact]
    public void JetMatchesMatplotlibAtEveryLutEntry()
    {
        // Catches: a wrong breakpoint or channel in the segment table.
        var jet = fixtures.GetProperty("jet").EnumerateArray().Select(Floats).ToArray();
        Assert.Equal(256, jet.Length);
        for (var i = 0; i < 256; i++)
        {
            var (r, g, b) = JetColormap.Map(i / 255f);
            Assert.True(Math.Abs(r - jet[i][0]) < 1e-5 && Math.Abs(g - jet[i][1]) < 1e-5 && Math.Abs(b - jet[i][2]) < 1e-5,
                $"jet({i}/255): ours ({r}, {g}, {b}), matplotlib ({jet[i][0]}, {jet[i][1]}, {jet[i][2]})");
        }
    }

    [Theory]
    // Landscape 400x300: resize to 341x256 (round(400*256/300) = 341), crop offset round((341-224)/2) = 58 (torchvision CenterCrop).
    [InlineData(400, 300, 58 * 300.0 / 256, 16 * 300.0 / 256, 224 * 300.0 / 256)]
    // Square 256: no resize, offset 16.
    [InlineData(256, 256, 16, 16, 224)]
    public void CropRegionIsWhereTheModelLooked(int width, int height, double left, double top, double side)
    {
        var r = HeatmapRenderer.CropRegion(width, height, PreprocessingSpec.ImageNet);
        Assert.Equal(left, r.X, 3);
        Assert.Equal(top, r.Y, 3);
        Assert.Equal(side, r.Width, 3);
        Assert.Equal(side, r.Height, 3);
    }

    [Fact]
    public void OverlayColoursOnlyTheCropRegionAndPutsRedWhereTheMapIsHigh()
    {
        // A 256x256 mid-gray film; a 2x2 class map hot in its top-left cell only.
        var image = new XrayImage(256, 256, Enumerable.Repeat(128f, 256 * 256).ToArray(), 8, XrayFormat.Png);
        var map = new ClassMap("u4", 2, 2, 2, [1f, 0f, 0f, 0f, /* class 1: */ 0f, 0f, 0f, 1f]);
        using var display = HeatmapRenderer.DisplayImage(image);
        using var overlay = HeatmapRenderer.Overlay(display, 256, 256, PreprocessingSpec.ImageNet, [map], classIndex: 0);
        Assert.Equal(new SixLabors.ImageSharp.PixelFormats.Rgb24(128, 128, 128), overlay[5, 5]);     // outside the crop (offset 16)
        Assert.Equal(new SixLabors.ImageSharp.PixelFormats.Rgb24(128, 128, 128), overlay[250, 250]); // outside, far corner
        // Near the hot cell the map is exactly 1 (edge clamp): jet(1) = (0.5, 0, 0) blended 50/50 with gray 128/255
        // gives round((0.5 * 128/255 + 0.25) * 255) = 128 red, 64 green, 64 blue. The far cell is 0: jet(0) = (0, 0, 0.5).
        Assert.Equal(new SixLabors.ImageSharp.PixelFormats.Rgb24(128, 64, 64), overlay[20, 20]);
        Assert.Equal(new SixLabors.ImageSharp.PixelFormats.Rgb24(64, 64, 128), overlay[230, 230]);
        // Class 1's map is the mirror image: its hot corner is the other one.
        using var other = HeatmapRenderer.Overlay(display, 256, 256, PreprocessingSpec.ImageNet, [map], classIndex: 1);
        Assert.Equal(new SixLabors.ImageSharp.PixelFormats.Rgb24(128, 64, 64), other[230, 230]);
        Assert.Equal(new SixLabors.ImageSharp.PixelFormats.Rgb24(64, 64, 128), other[20, 20]);
    }
}

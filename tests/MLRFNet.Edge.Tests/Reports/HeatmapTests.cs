using System.Text.Json;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Edge.Reports;
using MLRFNet.Imaging;
using MLRFNet.Inference;
using SixLabors.ImageSharp.PixelFormats;

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

    [Fact]
    public void DisplayImageAveragesTheFilmPixelsEachDisplayPixelCovers()
    {
        // Catches: decimation (every other pixel dropped: 0 and 200, or 30 and 150 below), unequal or unnormalised
        // weights, and a fractional edge cell counted whole.
        var even = new XrayImage(4, 2, [0, 100, 200, 40, /**/ 20, 60, 0, 0], 8, XrayFormat.Png);
        using var half = HeatmapRenderer.DisplayImage(even, maxSide: 2);
        Assert.Equal((2, 1), (half.Width, half.Height));
        Assert.Equal([45, 60], new[] { half[0, 0].PackedValue, half[1, 0].PackedValue }.Select(v => (int)v));
        // 3 -> 2 across: each display pixel covers 1.5 film pixels, (30 + 90 / 2) / 1.5 = 50 and (90 / 2 + 150) / 1.5 = 130.
        var odd = new XrayImage(3, 1, [30, 90, 150], 8, XrayFormat.Png);
        using var twoThirds = HeatmapRenderer.DisplayImage(odd, maxSide: 2);
        Assert.Equal((2, 1), (twoThirds.Width, twoThirds.Height));
        Assert.Equal([50, 130], new[] { twoThirds[0, 0].PackedValue, twoThirds[1, 0].PackedValue }.Select(v => (int)v));
        // A film already small enough is copied, clamped to 8 bits, not resampled.
        var small = new XrayImage(2, 1, [-3, 300], 8, XrayFormat.Png);
        using var same = HeatmapRenderer.DisplayImage(small, maxSide: 2);
        Assert.Equal([0, 255], new[] { same[0, 0].PackedValue, same[1, 0].PackedValue }.Select(v => (int)v));
    }

    [Fact]
    public void DisplayPixelsRoundHalvesToEvenAndClampInTheVectorLoopAsInItsTail()
    {
        // 67 pixels: two 32-pixel vector blocks and a scalar tail of 3. Values step by 4.5 from -10, so every other one
        // is a half (12.5, 21.5, ..., 246.5) and some lie outside 0..255. Catches: the vector loop rounding halves away
        // from zero (12.5 -> 13), truncating, not clamping, or a narrowing that wraps 256 to 0.
        var values = Enumerable.Range(0, 67).Select(i => -10f + 4.5f * i).ToArray();
        var (pixels, width, height) = HeatmapRenderer.DisplayPixels(new XrayImage(67, 1, values, 8, XrayFormat.Png));
        Assert.Equal((67, 1), (width, height));
        Assert.Equal(values.Select(v => (byte)Math.Clamp((int)MathF.Round(v), 0, 255)), pixels);
        Assert.Equal(12, pixels[5]);       // 12.5, in the first vector block
        Assert.Equal(246, pixels[57]);     // 246.5, in the second
        Assert.Equal(255, pixels[66]);     // 287, in the tail
    }

    [Theory]
    // Landscape 400x300: resize to 341x256 (int(400*256/300) = 341), crop offset round((341-224)/2) = 58 (torchvision
    // CenterCrop); each axis scales back by its own factor, 400/341 across and 300/256 down.
    [InlineData(400, 300, 58 * 400.0 / 341, 16 * 300.0 / 256, 224 * 400.0 / 341, 224 * 300.0 / 256)]
    // Square 256: no resize, offset 16.
    [InlineData(256, 256, 16, 16, 224, 224)]
    public void CropRegionIsWhereTheModelLooked(int width, int height, double left, double top, double regionWidth, double regionHeight)
    {
        var r = HeatmapRenderer.CropRegion(width, height, PreprocessingSpec.ImageNet);
        Assert.Equal(left, r.X, 3);
        Assert.Equal(top, r.Y, 3);
        Assert.Equal(regionWidth, r.Width, 3);
        Assert.Equal(regionHeight, r.Height, 3);
    }

    [Fact]
    public void OverlayIsTheJetColouredMapAtTwiceTheFinestGridHalfTransparentAndHotWhereTheMapIsHigh()
    {
        // A 2x2 class map hot in its top-left cell only for class 0, the mirror image for class 1.
        var map = new ClassMap("u4", 2, 2, 2, [1f, 0f, 0f, 0f, /* class 1: */ 0f, 0f, 0f, 1f]);
        using var overlay = HeatmapRenderer.OverlayImage([map], classIndex: 0);
        // Catches: an overlay at the display size again (the cost this replaces) or at the coarse grid only.
        Assert.Equal((4, 4), (overlay.Width, overlay.Height));
        // The corner pixels sample the map exactly at its cells (edge clamp): jet(1) = (0.5, 0, 0) where it is hot,
        // jet(0) = (0, 0, 0.5) where it is not; every pixel at alpha round(0.5 * 255) = 128, so the X-ray shows through.
        Assert.Equal(new Rgba32(128, 0, 0, 128), overlay[0, 0]);
        Assert.Equal(new Rgba32(0, 0, 128, 128), overlay[3, 3]);
        for (var y = 0; y < 4; y++)
            for (var x = 0; x < 4; x++)
                Assert.Equal(128, overlay[x, y].A);
        // Catches: the class index ignored (every heatmap of a study the same picture).
        using var other = HeatmapRenderer.OverlayImage([map], classIndex: 1);
        Assert.Equal(new Rgba32(128, 0, 0, 128), other[3, 3]);
        Assert.Equal(new Rgba32(0, 0, 128, 128), other[0, 0]);
    }

    [Fact]
    public void OverlaySumsTheLevelsAndAFlatMapIsUniformlyCold()
    {
        // u3 (4x4) is hot at row 0, column 3 with weight 1; u4 (2x2) is hot at its bottom-left cell with weight 3: the
        // sum peaks bottom-left. Catches: only the finest level drawn, levels not upsampled to one grid before summing.
        var u3 = new ClassMap("u3", 1, 4, 4, [0, 0, 0, 1, /**/ 0, 0, 0, 0, /**/ 0, 0, 0, 0, /**/ 0, 0, 0, 0]);
        var u4 = new ClassMap("u4", 1, 2, 2, [0, 0, 3, 0]);
        using var overlay = HeatmapRenderer.OverlayImage([u3, u4], classIndex: 0);
        Assert.Equal((8, 8), (overlay.Width, overlay.Height));
        Assert.Equal(new Rgba32(128, 0, 0, 128), overlay[0, 7]); // the sum's maximum: the u4 cell, all of it clamped
        Assert.NotEqual(new Rgba32(128, 0, 0, 128), overlay[7, 0]);
        // A map with one value everywhere has no hot spot: all jet(0), not noise from a 0/0 scaling.
        var flat = new ClassMap("u4", 1, 2, 2, [0.7f, 0.7f, 0.7f, 0.7f]);
        using var cold = HeatmapRenderer.OverlayImage([flat], classIndex: 0);
        for (var y = 0; y < 4; y++)
            for (var x = 0; x < 4; x++)
                Assert.Equal(new Rgba32(0, 0, 128, 128), cold[x, y]);
    }
}

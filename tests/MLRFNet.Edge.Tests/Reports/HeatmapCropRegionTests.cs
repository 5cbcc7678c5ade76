using MLRFNet.Core.Preprocessing;
using MLRFNet.Edge.Reports;
using MLRFNet.Imaging;
using Xunit.Abstractions;

namespace MLRFNet.Edge.Tests.Reports;

/// <summary>
/// The heatmap is drawn on the part of the film the model saw. The expected box is read back from the preprocessing
/// itself, not from a formula: a film whose pixels hold their own x (or y) coordinate goes through
/// <see cref="EvalTransform"/>, and the crop's columns (rows) then hold the film coordinates of its sample centres;
/// half a sample pitch beyond the first and last are the edges of the sampled region. (The resize's triangle filter
/// reproduces a linear ramp away from the film's borders, which the centre crop stays clear of, closely enough for
/// <see cref="DecodeTolerance"/> once the centres are fitted by a line.)
/// </summary>
public sealed class HeatmapCropRegionTests(ITestOutputHelper output)
{
    /// <summary>The paper's geometry (shorter side 256, crop 224) with the pixel values passed through unchanged.</summary>
    private static readonly PreprocessingSpec Identity = PreprocessingSpec.ImageNet with { Channels = 1, PixelScale = 1f, Mean = [0f], Std = [1f] };

    /// <summary>
    /// Ramp decoding error is at most a few hundredths of a pixel; a crop offset off by one is a whole resized pixel
    /// (~1-4 film pixels), a box that ignores the two axes' different scales is off by 0.1-2 px.
    /// </summary>
    private const double DecodeTolerance = 0.05;

    [Theory]
    // Portrait film 1000x1339: torchvision resizes to 256 x int(256 * 1339 / 1000) = 256 x 342 (truncated, not 343),
    // crops at left round(32 / 2) = 16, top round(118 / 2) = 59; in film pixels left 16 * 1000/256 = 62.5, top
    // 59 * 1339/342 = 230.997, width 224 * 1000/256 = 875, height 224 * 1339/342 = 877.006. Rounding 342.78 up to
    // 343 moves the top to round(59.5) = 60 -> 234.4 film pixels: the box 3.4 px low and 2 px short.
    [InlineData(1000, 1339, 62.5, 230.997, 875.0, 877.006)]
    // Landscape 2500x2048: 312 x 256 (int(312.5)), left round(88 / 2) = 44 -> 44 * 2500/312 = 352.564.
    [InlineData(2500, 2048, 352.564, 128.0, 1794.872, 1792.0)]
    public void TheBoxIsTheRegionThePreprocessingSampled_HandDerived(int width, int height, double left, double top, double boxWidth, double boxHeight)
    {
        var sampled = SampledRegion(width, height);
        var box = HeatmapRenderer.CropRegion(width, height, Identity);
        output.WriteLine($"{width}x{height}: sampled {Format(sampled)}, heatmap box {Format((box.X, box.Y, box.Width, box.Height))}");
        Assert.True(MaxDifference((left, top, boxWidth, boxHeight), sampled) < 0.001 + DecodeTolerance,
            $"{width}x{height}: the preprocessing sampled {Format(sampled)}, not the hand-derived torchvision region");
        Assert.True(MaxDifference(sampled, (box.X, box.Y, box.Width, box.Height)) < DecodeTolerance,
            $"{width}x{height}: heatmap box {Format((box.X, box.Y, box.Width, box.Height))} is not the sampled region {Format(sampled)}");
    }

    [Fact]
    public void TheBoxIsTheRegionThePreprocessingSampled_ForEverySizeInASweep()
    {
        // Every size from 224 to 320 in steps of 3 on both axes (up- and downscaling, both orientations, squares), and
        // clinic-sized films around 1000 x 1300 in steps of 25.
        var sizes = Sweep(224, 320, 3).SelectMany(w => Sweep(224, 320, 3).Select(h => (w, h)))
            .Concat(Sweep(900, 1100, 25).SelectMany(w => Sweep(1200, 1500, 25).Select(h => (w, h))))
            .ToArray();
        var wrong = new List<string>();
        var worst = 0.0;
        foreach (var (width, height) in sizes)
        {
            var sampled = SampledRegion(width, height);
            var box = HeatmapRenderer.CropRegion(width, height, Identity);
            var difference = MaxDifference(sampled, (box.X, box.Y, box.Width, box.Height));
            worst = Math.Max(worst, difference);
            if (difference >= DecodeTolerance)
                wrong.Add($"{width}x{height}: box {Format((box.X, box.Y, box.Width, box.Height))}, sampled {Format(sampled)}");
        }
        output.WriteLine($"{sizes.Length} sizes, {wrong.Count} with the heatmap box off the sampled region; worst difference {worst:F3} px");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {sizes.Length} sizes: the heatmap box is not where the model looked, e.g.\n"
            + string.Join('\n', wrong.Take(5)));
    }

    /// <summary>
    /// The film region (left, top, width, height) that <see cref="EvalTransform"/> sampled for a
    /// <paramref name="width"/> x <paramref name="height"/> film, read from its output on two coordinate ramps.
    /// </summary>
    private static (double Left, double Top, double Width, double Height) SampledRegion(int width, int height)
    {
        var (left, right) = Span(Ramp(width, height, horizontal: true), column: true);
        var (top, bottom) = Span(Ramp(width, height, horizontal: false), column: false);
        return (left, top, right - left, bottom - top);
    }

    /// <summary>A film whose every pixel holds the film coordinate of its centre along one axis (x + 0.5 or y + 0.5).</summary>
    private static XrayImage Ramp(int width, int height, bool horizontal)
    {
        var pixels = new float[width * height];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                pixels[y * width + x] = (horizontal ? x : y) + 0.5f;
        return new XrayImage(width, height, pixels, 16, XrayFormat.Png);
    }

    /// <summary>
    /// From the preprocessed ramp: the film coordinates of the crop's sample centres along one line through its
    /// middle, fitted by least squares to <c>start + pitch · (i + 0.5)</c> (a single sample is off by up to ~0.2 px where
    /// the triangle filter is a little wider than a pixel; the fit averages that out), give the sampled span
    /// <c>[start, start + pitch · CropSize]</c>.
    /// </summary>
    private static (double Start, double End) Span(XrayImage ramp, bool column)
    {
        var crop = Identity.CropSize;
        var tensor = EvalTransform.ToTensor(ramp, Identity);
        var middle = crop / 2;
        var centres = Enumerable.Range(0, crop).Select(i => (double)(column ? tensor[middle * crop + i] : tensor[i * crop + middle])).ToArray();
        double meanIndex = (crop - 1) / 2.0, meanCentre = centres.Average();
        double covariance = 0, variance = 0;
        for (var i = 0; i < crop; i++)
        {
            covariance += (i - meanIndex) * (centres[i] - meanCentre);
            variance += (i - meanIndex) * (i - meanIndex);
        }
        var pitch = covariance / variance;
        var start = meanCentre - pitch * (meanIndex + 0.5);
        return (start, start + pitch * crop);
    }

    private static IEnumerable<int> Sweep(int from, int to, int step)
    {
        for (var v = from; v <= to; v += step) yield return v;
    }

    private static double MaxDifference((double, double, double, double) a, (double, double, double, double) b) =>
        new[] { a.Item1 - b.Item1, a.Item2 - b.Item2, a.Item3 - b.Item3, a.Item4 - b.Item4 }.Max(Math.Abs);

    private static string Format((double Left, double Top, double Width, double Height) r) =>
        FormattableString.Invariant($"left {r.Left:F3} top {r.Top:F3} {r.Width:F3} x {r.Height:F3}");
}

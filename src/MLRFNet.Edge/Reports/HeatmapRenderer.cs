using System.Numerics;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Imaging;
using MLRFNet.Imaging.Transforms;
using MLRFNet.Inference;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MLRFNet.Edge.Reports;

/// <summary>
/// Draws the X-ray for the HTML report and a flagged class's score map as a small overlay image that the page lays
/// over it. The model saw only the centre crop (resize shorter side to ResizeSize, crop CropSize), so the map is placed
/// on that square of the image, not stretched over the whole film. Each level's map (u2, u3, u4) is upsampled to the square and the levels
/// are summed, as the CSRA heads' logits are summed; the sum is scaled min..max to the jet colour map.
/// </summary>
internal static class HeatmapRenderer
{
    /// <summary>
    /// Largest side of the images embedded in the HTML page. The page shows them at most 512 CSS px wide and a class
    /// map has at most 28 x 28 cells, so more pixels add nothing a reader sees; at 1024 px the PNG deflate of the
    /// X-ray was most of the per-image service time.
    /// </summary>
    public const int MaxDisplaySide = 512;

    public const float OverlayAlpha = 0.5f;

    /// <summary>
    /// The X-ray as 8-bit gray, shrunk so its longer side is at most <paramref name="maxSide"/> by area averaging
    /// (<see cref="Resize.Area"/>: each display pixel is the mean of the film pixels it covers, fractional at the
    /// edges): no aliasing, and computed straight from the float pixels, ~3x cheaper than converting the full film to
    /// an image and resampling it. Row-major bytes, as the page's PNG encoder takes them.
    /// </summary>
    public static (byte[] Pixels, int Width, int Height) DisplayPixels(XrayImage image, int maxSide = MaxDisplaySide)
    {
        var scale = Math.Min(1.0, (double)maxSide / Math.Max(image.Width, image.Height));
        var width = scale < 1.0 ? Math.Max(1, (int)Math.Round(image.Width * scale)) : image.Width;
        var height = scale < 1.0 ? Math.Max(1, (int)Math.Round(image.Height * scale)) : image.Height;
        var pixels = width == image.Width && height == image.Height
            ? image.Pixels
            : Resize.Area(image.Pixels, image.Width, image.Height, width, height);
        var gray = new byte[width * height];
        ToBytes(pixels, gray);
        return (gray, width, height);
    }

    /// <summary><see cref="DisplayPixels"/> as an image.</summary>
    public static Image<L8> DisplayImage(XrayImage image, int maxSide = MaxDisplaySide)
    {
        var (pixels, width, height) = DisplayPixels(image, maxSide);
        return Image.LoadPixelData<L8>(pixels, width, height);
    }

    /// <summary>
    /// Each value rounded to the nearest integer, halves to even (as <see cref="MathF.Round(float)"/>), and clamped
    /// to 0..255; vectorised (clamping first gives the same bytes for finite values, which pixels are).
    /// </summary>
    internal static void ToBytes(ReadOnlySpan<float> source, Span<byte> destination)
    {
        destination = destination[..source.Length];
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lane = Vector<float>.Count;
            Vector<float> low = Vector<float>.Zero, high = new(255f);
            for (; i <= source.Length - 4 * lane; i += 4 * lane)
            {
                var q0 = Vector.AsVectorUInt32(Vector.ConvertToInt32(Vector.Round(Vector.Clamp(new Vector<float>(source[i..]), low, high))));
                var q1 = Vector.AsVectorUInt32(Vector.ConvertToInt32(Vector.Round(Vector.Clamp(new Vector<float>(source[(i + lane)..]), low, high))));
                var q2 = Vector.AsVectorUInt32(Vector.ConvertToInt32(Vector.Round(Vector.Clamp(new Vector<float>(source[(i + 2 * lane)..]), low, high))));
                var q3 = Vector.AsVectorUInt32(Vector.ConvertToInt32(Vector.Round(Vector.Clamp(new Vector<float>(source[(i + 3 * lane)..]), low, high))));
                Vector.Narrow(Vector.Narrow(q0, q1), Vector.Narrow(q2, q3)).CopyTo(destination[i..]);   // 0..255 narrows exactly
            }
        }
        for (; i < source.Length; i++) destination[i] = (byte)Math.Clamp((int)MathF.Round(source[i]), 0, 255);
    }

    /// <summary>
    /// The region of a <paramref name="width"/> x <paramref name="height"/> image the model's centre crop covers, in
    /// that image's pixels: <see cref="CropGeometry.SourceRegion"/>, the geometry <see cref="EvalTransform"/> samples.
    /// </summary>
    public static RectangleF CropRegion(int width, int height, PreprocessingSpec spec)
    {
        var (left, top, regionWidth, regionHeight) = CropGeometry.Of(width, height, spec).SourceRegion;
        return new RectangleF((float)left, (float)top, (float)regionWidth, (float)regionHeight);
    }

    /// <summary>Sum of every level's map of class <paramref name="classIndex"/>, each upsampled to <paramref name="size"/> x <paramref name="size"/>.</summary>
    public static float[] CombinedMap(IReadOnlyList<ClassMap> maps, int classIndex, int size)
    {
        var sum = new float[size * size];
        foreach (var map in maps)
        {
            if (classIndex >= map.Classes) continue;
            var plane = map.Values.AsSpan(classIndex * map.Height * map.Width, map.Height * map.Width);
            var up = ClassMapUpsampler.Upsample(plane, map.Height, map.Width, size, size);
            for (var i = 0; i < sum.Length; i++) sum[i] += up[i];
        }
        return sum;
    }

    /// <summary>
    /// Side of a heatmap overlay PNG: twice the finest level's map (56 for a 28 x 28 u2 map). The page stretches the
    /// overlay over the crop region with the browser's smooth (bilinear) scaling, which interpolates colours, not
    /// scores: between two cells far apart on the jet scale it passes through a mixed colour jet does not have
    /// (blue to red via purple). Sampling the bilinear score map at twice the finest grid halves that colour step
    /// per overlay pixel for 4x the pixels of the finest grid, a few KB of PNG.
    /// </summary>
    public static int OverlaySide(IReadOnlyList<ClassMap> maps) =>
        2 * maps.Select(m => Math.Max(m.Height, m.Width)).DefaultIfEmpty(1).Max();

    /// <summary>Alpha of every overlay pixel: the page blends the jet colours <see cref="OverlayAlpha"/> over the X-ray.</summary>
    public static byte OverlayAlphaByte => (byte)MathF.Round(OverlayAlpha * 255f);

    /// <summary>
    /// Class <paramref name="classIndex"/>'s combined map as a small semi-transparent jet-coloured image, scaled
    /// min..max, covering exactly the crop region (the page places it there with CSS, see
    /// <see cref="CropRegion"/>). Row 0 is the crop's top, as in the maps.
    /// </summary>
    public static Image<Rgba32> OverlayImage(IReadOnlyList<ClassMap> maps, int classIndex)
    {
        var side = OverlaySide(maps);
        var combined = CombinedMap(maps, classIndex, side);
        float min = float.MaxValue, max = float.MinValue;
        foreach (var v in combined) { min = Math.Min(min, v); max = Math.Max(max, v); }
        var range = max - min;
        var alpha = OverlayAlphaByte;
        var overlay = new Image<Rgba32>(side, side);
        overlay.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var t = range > 0 ? (combined[y * side + x] - min) / range : 0f; // a flat map shows uniformly cold, not noise
                    var c = JetColormap.MapRgb24(t);
                    row[x] = new Rgba32(c.R, c.G, c.B, alpha);
                }
            }
        });
        return overlay;
    }
}

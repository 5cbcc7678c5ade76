using MLRFNet.Core.Preprocessing;
using MLRFNet.Imaging;
using MLRFNet.Inference;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace MLRFNet.Edge.Reports;

/// <summary>
/// Draws the X-ray for the HTML report and overlays a flagged class's score map on it. The model saw only the
/// centre crop (resize shorter side to ResizeSize, crop CropSize), so the map is placed on that square of the
/// image, not stretched over the whole film. Each level's map (u2, u3, u4) is upsampled to the square and the levels
/// are summed, as the CSRA heads' logits are summed; the sum is scaled min..max to the jet colour map.
/// </summary>
internal static class HeatmapRenderer
{
    /// <summary>
    /// Largest side of the images embedded in the HTML page. The page shows them at most 512 CSS px wide and a class
    /// map has at most 28 x 28 cells, so more pixels add nothing a reader sees; at 1024 px the PNG deflate of the
    /// X-ray and its overlays was most of the per-image service time.
    /// </summary>
    public const int MaxDisplaySide = 512;

    public const float OverlayAlpha = 0.5f;

    /// <summary>The X-ray as 8-bit gray, shrunk so its longer side is at most <paramref name="maxSide"/>.</summary>
    public static Image<L8> DisplayImage(XrayImage image, int maxSide = MaxDisplaySide)
    {
        var gray = new Image<L8>(image.Width, image.Height);
        gray.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                var source = image.Pixels.AsSpan(y * image.Width, image.Width);
                for (var x = 0; x < row.Length; x++) row[x] = new L8((byte)Math.Clamp((int)MathF.Round(source[x]), 0, 255));
            }
        });
        var scale = Math.Min(1.0, (double)maxSide / Math.Max(image.Width, image.Height));
        if (scale < 1.0)
            gray.Mutate(c => c.Resize(Math.Max(1, (int)Math.Round(image.Width * scale)), Math.Max(1, (int)Math.Round(image.Height * scale))));
        return gray;
    }

    /// <summary>
    /// The region of a <paramref name="width"/> x <paramref name="height"/> image the model's centre crop covers, in
    /// that image's pixels (torchvision's CenterCrop offset <c>round((resized - crop) / 2)</c>).
    /// </summary>
    public static RectangleF CropRegion(int width, int height, PreprocessingSpec spec)
    {
        var scale = (double)spec.ResizeSize / Math.Min(width, height);
        var resizedW = Math.Round(width * scale);
        var resizedH = Math.Round(height * scale);
        var left = Math.Round((resizedW - spec.CropSize) / 2.0);
        var top = Math.Round((resizedH - spec.CropSize) / 2.0);
        return new RectangleF((float)(left / scale), (float)(top / scale), (float)(spec.CropSize / scale), (float)(spec.CropSize / scale));
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

    /// <summary>The display image with class <paramref name="classIndex"/>'s map blended over the crop region.</summary>
    public static Image<Rgb24> Overlay(Image<L8> display, int sourceWidth, int sourceHeight, PreprocessingSpec spec,
        IReadOnlyList<ClassMap> maps, int classIndex)
    {
        var region = CropRegion(sourceWidth, sourceHeight, spec);
        var toDisplay = (float)display.Width / sourceWidth;
        var left = (int)MathF.Round(region.X * toDisplay);
        var top = (int)MathF.Round(region.Y * toDisplay);
        var side = Math.Max(1, (int)MathF.Round(region.Width * toDisplay));
        var combined = CombinedMap(maps, classIndex, side);
        float min = float.MaxValue, max = float.MinValue;
        foreach (var v in combined) { min = Math.Min(min, v); max = Math.Max(max, v); }
        var range = max - min;

        var result = display.CloneAs<Rgb24>();
        result.ProcessPixelRows(rows =>
        {
            for (var y = Math.Max(0, top); y < Math.Min(rows.Height, top + side); y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = Math.Max(0, left); x < Math.Min(row.Length, left + side); x++)
                {
                    var v = combined[(y - top) * side + (x - left)];
                    var t = range > 0 ? (v - min) / range : 0f; // a flat map shows uniformly cold, not noise
                    var (r, g, b) = JetColormap.Map(t);
                    var gray = row[x].R / 255f;
                    row[x] = new Rgb24(Blend(gray, r), Blend(gray, g), Blend(gray, b));
                }
            }
        });
        return result;
    }

    private static byte Blend(float under, float over) =>
        (byte)Math.Clamp((int)MathF.Round(((1 - OverlayAlpha) * under + OverlayAlpha * over) * 255f), 0, 255);
}

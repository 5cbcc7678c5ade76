namespace MLRFNet.Imaging.Transforms;

/// <summary>
/// Rotation about the image centre, counter-clockwise for positive angles (torchvision <c>F.rotate</c> convention),
/// bilinear, with 0 outside the source (torch <c>grid_sample(mode="bilinear", padding_mode="zeros",
/// align_corners=False)</c>: the centre is ((W − 1)/2, (H − 1)/2) in pixel-centre coordinates). Each output
/// pixel (x, y) samples the source at the inverse rotation of its offset from the centre.
/// </summary>
public static class Rotation
{
    public static void Apply(ReadOnlySpan<float> source, Span<float> destination, int width, int height, double degrees)
    {
        if (source.Length != width * height || destination.Length != width * height)
            throw new ArgumentException($"Source and destination must hold {width}x{height} values.");
        var radians = degrees * Math.PI / 180;
        double cos = Math.Cos(radians), sin = Math.Sin(radians), cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        for (var y = 0; y < height; y++)
        {
            var dy = y - cy;
            var row = destination.Slice(y * width, width);
            for (var x = 0; x < width; x++)
            {
                var dx = x - cx;
                // Inverse of the counter-clockwise (y-down) rotation: source = R(−θ)ᵀ applied to the offset.
                double sx = cos * dx - sin * dy + cx, sy = sin * dx + cos * dy + cy;
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                if ((uint)x0 < (uint)(width - 1) && (uint)y0 < (uint)(height - 1))
                {
                    // All four taps inside: no bounds checks (most of the image at the paper's ±10°).
                    double fx = sx - x0, fy = sy - y0;
                    var top = source.Slice(y0 * width + x0, width + 2);
                    row[x] = (float)(top[0] * (1 - fx) * (1 - fy) + top[1] * fx * (1 - fy) + top[width] * (1 - fx) * fy + top[width + 1] * fx * fy);
                }
                else
                {
                    row[x] = Sample(source, width, height, sx, sy);
                }
            }
        }
    }

    private static float Sample(ReadOnlySpan<float> source, int width, int height, double sx, double sy)
    {
        int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
        double fx = sx - x0, fy = sy - y0;
        return (float)(Tap(source, width, height, x0, y0) * (1 - fx) * (1 - fy) + Tap(source, width, height, x0 + 1, y0) * fx * (1 - fy)
            + Tap(source, width, height, x0, y0 + 1) * (1 - fx) * fy + Tap(source, width, height, x0 + 1, y0 + 1) * fx * fy);
    }

    private static double Tap(ReadOnlySpan<float> source, int width, int height, int x, int y) =>
        (uint)x < (uint)width && (uint)y < (uint)height ? source[y * width + x] : 0.0;
}

using SixLabors.ImageSharp.PixelFormats;

namespace MLRFNet.Edge.Reports;

/// <summary>
/// The "jet" colour map as matplotlib defines it (piecewise-linear segments in
/// https://github.com/matplotlib/matplotlib/blob/main/lib/matplotlib/_cm.py, <c>_jet_data</c>): dark blue for low
/// class evidence through cyan, yellow to dark red for high, the convention clinicians know from CAM figures.
/// </summary>
internal static class JetColormap
{
    // (x, value) breakpoints per channel, from matplotlib's _jet_data.
    private static readonly (float X, float V)[] red = [(0f, 0f), (0.35f, 0f), (0.66f, 1f), (0.89f, 1f), (1f, 0.5f)];
    private static readonly (float X, float V)[] green = [(0f, 0f), (0.125f, 0f), (0.375f, 1f), (0.64f, 1f), (0.91f, 0f), (1f, 0f)];
    private static readonly (float X, float V)[] blue = [(0f, 0.5f), (0.11f, 1f), (0.34f, 1f), (0.65f, 0f), (1f, 0f)];

    /// <summary>Colour of <paramref name="value"/> in [0, 1] (clamped), as floats in [0, 1].</summary>
    public static (float R, float G, float B) Map(float value)
    {
        var v = float.IsNaN(value) ? 0f : Math.Clamp(value, 0f, 1f);
        return (Segment(red, v), Segment(green, v), Segment(blue, v));
    }

    public static Rgb24 MapRgb24(float value)
    {
        var (r, g, b) = Map(value);
        return new Rgb24(ToByte(r), ToByte(g), ToByte(b));
    }

    private static byte ToByte(float v) => (byte)Math.Clamp((int)MathF.Round(v * 255f), 0, 255);

    private static float Segment((float X, float V)[] points, float v)
    {
        for (var i = 1; i < points.Length; i++)
        {
            if (v <= points[i].X)
            {
                var (x0, v0) = points[i - 1];
                var (x1, v1) = points[i];
                return x1 == x0 ? v1 : v0 + (v1 - v0) * (v - x0) / (x1 - x0);
            }
        }
        return points[^1].V;
    }
}

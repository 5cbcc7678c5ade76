namespace MLRFNet.Imaging;

/// <summary>
/// Colour to gray: ITU-R BT.601 luma, Y = 0.299 R + 0.587 G + 0.114 B, in Pillow's fixed-point form
/// (<c>(R·19595 + G·38470 + B·7471 + 0x8000) &gt;&gt; 16</c>, Pillow src/libImaging/Convert.c, <c>L24</c>), so an 8-bit
/// colour image decodes to exactly what <c>PIL.Image.convert("L")</c> gives: the loader of the PyTorch reference
/// pipelines this project is compared against. The weights sum to 65536, so R = G = B (how NIH's RGBA PNGs store
/// gray) returns R unchanged. Alpha is ignored, as Pillow does.
/// </summary>
/// <remarks>
/// NOTE: ImageMagick 6.9 <c>-colorspace Gray</c> and ImageSharp's own <c>L8</c> conversion use BT.709 weights
/// (0.2126, 0.7152, 0.0722) instead; they differ from this on saturated colours only, never on gray stored as RGB.
/// </remarks>
public static class Luminance
{
    private const int WeightR = 19595, WeightG = 38470, WeightB = 7471;

    /// <summary>BT.601 luma of an 8-bit triple, rounded to an integer 0..255 like Pillow.</summary>
    public static byte FromRgb8(byte r, byte g, byte b) =>
        (byte)((r * WeightR + g * WeightG + b * WeightB + 0x8000) >> 16);

    /// <summary>BT.601 luma of a 16-bit triple, rounded to an integer 0..65535 (same weights, 64-bit arithmetic).</summary>
    public static ushort FromRgb16(ushort r, ushort g, ushort b) =>
        (ushort)(((long)r * WeightR + (long)g * WeightG + (long)b * WeightB + 0x8000) >> 16);
}

using SixLabors.ImageSharp.Formats.Png;

namespace MLRFNet.Imaging.Png;

/// <summary>
/// PNG → <see cref="XrayImage"/>: our own <see cref="PngHeader"/> check, then the pixels. The layouts X-rays come in
/// (not interlaced, 8 or 16 bits per sample, gray / gray + alpha / RGB / RGBA) are decoded by our own
/// <see cref="PngPixelDecoder"/> (zlib-ng inflate; 1.3-1.9x faster than ImageSharp 2.1 on 1024² X-rays); palette,
/// 1/2/4-bit gray and interlaced files by ImageSharp, into the pixel type that keeps the source exact. Both give: gray 1..8-bit → 0..255
/// (low depths scaled by ImageSharp), gray 16-bit → value / 257, colour (RGB, RGBA, palette) → BT.601 luma
/// (<see cref="Luminance"/>); alpha is ignored.
/// </summary>
internal static class PngReader
{
    private static readonly PngDecoder Decoder = new();

    public static XrayImage Decode(ReadOnlySpan<byte> data, DecodeLimits limits)
    {
        var header = PngHeader.Read(data, limits);
        var pixels = PngPixelDecoder.Supports(header) ? PngPixelDecoder.Decode(data, header) : DecodeWithImageSharp(data, header);
        if (pixels.Length != (long)header.Width * header.Height)
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"PNG decoded to {pixels.Length} pixels but IHDR declares {header.Width}x{header.Height}.");
        // A palette holds 8-bit RGB entries whatever the index depth (PNG spec 11.2.3).
        var depth = header.ColorType == PngColorType.Palette ? 8 : header.BitDepth;
        return new XrayImage(header.Width, header.Height, pixels, depth, XrayFormat.Png);
    }

    /// <summary>ImageSharp's decode (tests compare <see cref="PngPixelDecoder"/> with it on the same file).</summary>
    internal static float[] DecodeWithImageSharp(ReadOnlySpan<byte> data, PngHeader header)
    {
        var sixteen = header.BitDepth == 16;
        return header.ColorType switch
        {
            PngColorType.Grayscale or PngColorType.GrayscaleAlpha when sixteen => ImageSharpBridge.LoadGray16(data, Decoder, "PNG"),
            PngColorType.Grayscale or PngColorType.GrayscaleAlpha => ImageSharpBridge.LoadGray8(data, Decoder, "PNG"),
            _ when sixteen => ImageSharpBridge.LoadRgb16AsLuma(data, Decoder, "PNG"),
            _ => ImageSharpBridge.LoadRgb8AsLuma(data, Decoder, "PNG"),
        };
    }
}

using SixLabors.ImageSharp.Formats.Png;

namespace MLRFNet.Imaging.Png;

/// <summary>
/// PNG → <see cref="XrayImage"/>: our own <see cref="PngHeader"/> check, then ImageSharp decodes into the pixel type
/// that keeps the source exact: gray 1..8-bit → L8 (low depths scaled to 0..255 by ImageSharp), gray 16-bit → L16
/// / 257, colour (RGB, RGBA, palette) → BT.601 luma (<see cref="Luminance"/>); alpha is ignored.
/// </summary>
internal static class PngReader
{
    private static readonly PngDecoder Decoder = new();

    public static XrayImage Decode(ReadOnlySpan<byte> data, DecodeLimits limits)
    {
        var header = PngHeader.Read(data, limits);
        var sixteen = header.BitDepth == 16;
        var pixels = header.ColorType switch
        {
            PngColorType.Grayscale or PngColorType.GrayscaleAlpha when sixteen => ImageSharpBridge.LoadGray16(data, Decoder, "PNG"),
            PngColorType.Grayscale or PngColorType.GrayscaleAlpha => ImageSharpBridge.LoadGray8(data, Decoder, "PNG"),
            _ when sixteen => ImageSharpBridge.LoadRgb16AsLuma(data, Decoder, "PNG"),
            _ => ImageSharpBridge.LoadRgb8AsLuma(data, Decoder, "PNG"),
        };
        if (pixels.Length != (long)header.Width * header.Height)
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"PNG decoded to {pixels.Length} pixels but IHDR declares {header.Width}x{header.Height}.");
        // A palette holds 8-bit RGB entries whatever the index depth (PNG spec 11.2.3).
        var depth = header.ColorType == PngColorType.Palette ? 8 : header.BitDepth;
        return new XrayImage(header.Width, header.Height, pixels, depth, XrayFormat.Png);
    }
}

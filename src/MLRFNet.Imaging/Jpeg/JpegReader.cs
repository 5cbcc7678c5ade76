using SixLabors.ImageSharp.Formats.Jpeg;

namespace MLRFNet.Imaging.Jpeg;

/// <summary>
/// JPEG → gray: our own <see cref="JpegHeader"/> check, then ImageSharp's decoder to RGB24 and BT.601 luma
/// (<see cref="Luminance"/>); a one-component JPEG decodes to R = G = B, so its samples pass through unchanged.
/// Used for standalone JPEG files and for the fragments of a DICOM JPEG Baseline frame.
/// </summary>
internal static class JpegReader
{
    private static readonly JpegDecoder Decoder = new();

    public static XrayImage Decode(ReadOnlySpan<byte> data, DecodeLimits limits)
    {
        var (header, pixels) = DecodeGray(data, limits, "JPEG");
        return new XrayImage(header.Width, header.Height, pixels, header.Precision, XrayFormat.Jpeg);
    }

    /// <summary>The frame header and its gray samples 0..255, row-major.</summary>
    public static (JpegHeader Header, float[] Pixels) DecodeGray(ReadOnlySpan<byte> data, DecodeLimits limits, string what)
    {
        var header = JpegHeader.Read(data, limits, what);
        var pixels = ImageSharpBridge.LoadRgb8AsLuma(data, Decoder, what);
        if (pixels.Length != (long)header.Width * header.Height)
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"{what} decoded to {pixels.Length} pixels but its frame header declares {header.Width}x{header.Height}.");
        return (header, pixels);
    }
}

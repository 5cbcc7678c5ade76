using System.Buffers.Binary;

namespace MLRFNet.Imaging.Png;

/// <summary>
/// The PNG facts needed before any pixel buffer is allocated: IHDR (size, bit depth, colour type, interlace) and a walk over
/// the chunk structure to the IEND chunk, so a hostile size fails as <see cref="DecodeErrorKind.TooLarge"/> and a
/// cut-off file as <see cref="DecodeErrorKind.Truncated"/> without decompressing a byte.
/// Layout per the PNG specification (W3C, 2nd ed.), sections 5.2 (signature), 5.3 (chunk layout), 11.2.2 (IHDR).
/// </summary>
internal readonly record struct PngHeader(int Width, int Height, int BitDepth, PngColorType ColorType, bool Interlaced)
{
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Reads IHDR, checks it against <paramref name="limits"/>, then walks every chunk header to IEND.</summary>
    public static PngHeader Read(ReadOnlySpan<byte> data, DecodeLimits limits)
    {
        // Signature (8) + IHDR length/type (8) + IHDR data (13) + CRC (4).
        if (data.Length < 33)
            throw new XrayDecodeException(DecodeErrorKind.Truncated,
                $"PNG is truncated: {data.Length} bytes, fewer than the 33 that signature and IHDR chunk need. Re-copy the file.");
        var ihdrLength = BinaryPrimitives.ReadUInt32BigEndian(data[8..]);
        if (ihdrLength != 13 || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                "PNG is malformed: the first chunk is not a 13-byte IHDR (PNG spec 11.2.2). The file is corrupt.");
        var width = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        int bitDepth = data[24], colorType = data[25];
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"PNG IHDR declares an invalid size {width}x{height} (each side must be 1..2^31-1). The file is corrupt.");
        limits.CheckDimensions(width, height, "PNG IHDR");
        if (!IsValidCombination(colorType, bitDepth))
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"PNG IHDR declares colour type {colorType} with bit depth {bitDepth}, which PNG does not allow (spec table 11.1).");
        if (data[26] != 0 || data[27] != 0 || data[28] > 1)
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"PNG IHDR declares compression {data[26]}, filter {data[27]}, interlace {data[28]}; only 0, 0 and 0/1 exist.");
        WalkChunks(data);
        return new PngHeader((int)width, (int)height, bitDepth, (PngColorType)colorType, Interlaced: data[28] == 1);
    }

    private static bool IsValidCombination(int colorType, int bitDepth) => colorType switch
    {
        0 => bitDepth is 1 or 2 or 4 or 8 or 16,
        3 => bitDepth is 1 or 2 or 4 or 8,
        2 or 4 or 6 => bitDepth is 8 or 16,
        _ => false,
    };

    /// <summary>Follows chunk lengths from IHDR to IEND; every chunk must fit inside the data.</summary>
    private static void WalkChunks(ReadOnlySpan<byte> data)
    {
        var position = 8;
        var sawImageData = false;
        while (true)
        {
            if (data.Length - position < 12)
                throw new XrayDecodeException(DecodeErrorKind.Truncated,
                    $"PNG is truncated: it ends at byte {data.Length} before the IEND chunk. Re-copy or re-export the file.");
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            var type = data.Slice(position + 4, 4);
            foreach (var c in type)
                if (!char.IsAsciiLetter((char)c))
                    throw new XrayDecodeException(DecodeErrorKind.Malformed,
                        $"PNG is malformed: the chunk at byte {position} has a non-letter type (PNG spec 5.3). The file is corrupt.");
            if (length > int.MaxValue || length > (ulong)(data.Length - position - 12))
                throw new XrayDecodeException(DecodeErrorKind.Truncated,
                    $"PNG is truncated: chunk '{System.Text.Encoding.ASCII.GetString(type)}' at byte {position} declares {length} bytes " +
                    $"but only {data.Length - position - 12} remain. Re-copy or re-export the file.");
            if (type.SequenceEqual("IDAT"u8)) sawImageData = true;
            if (type.SequenceEqual("IEND"u8)) break;
            position += 12 + (int)length;
        }
        if (!sawImageData)
            throw new XrayDecodeException(DecodeErrorKind.Malformed, "PNG is malformed: it has no IDAT (image data) chunk.");
    }
}

/// <summary>PNG colour types (PNG spec table 11.1).</summary>
internal enum PngColorType
{
    Grayscale = 0,
    Rgb = 2,
    Palette = 3,
    GrayscaleAlpha = 4,
    RgbAlpha = 6,
}

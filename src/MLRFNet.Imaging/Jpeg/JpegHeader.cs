using System.Buffers.Binary;

namespace MLRFNet.Imaging.Jpeg;

/// <summary>
/// The JPEG facts needed before ImageSharp allocates: the frame header (SOFn: process, precision, size, components)
/// and the presence of an EOI marker after the first scan, found by walking marker segments (ITU-T T.81, B.1.1 and
/// B.2.2). Entropy-coded data cannot contain FF D9 (every FF in it is stuffed with 00 or is an RSTn marker, T.81
/// B.1.1.5), so a missing EOI after SOS means the file was cut short; ImageSharp would silently fill the rest gray.
/// </summary>
internal readonly record struct JpegHeader(int Width, int Height, int Precision, int Components, byte FrameMarker)
{
    /// <summary>Reads the frame header, checks it against <paramref name="limits"/> and that EOI follows the scan.</summary>
    public static JpegHeader Read(ReadOnlySpan<byte> data, DecodeLimits limits, string what = "JPEG")
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
            throw new XrayDecodeException(DecodeErrorKind.Malformed, $"{what} does not start with the SOI marker FF D8.");
        var position = 2;
        JpegHeader? frame = null;
        while (true)
        {
            // Markers may be preceded by any number of FF fill bytes (T.81 B.1.1.2).
            if (position >= data.Length || data[position] != 0xFF)
            {
                if (position >= data.Length) throw Truncated(what, position);
                throw new XrayDecodeException(DecodeErrorKind.Malformed,
                    $"{what} is malformed: expected a marker (FF xx) at byte {position}, found {data[position]:X2}.");
            }
            while (position < data.Length && data[position] == 0xFF) position++;
            if (position >= data.Length) throw Truncated(what, position);
            var marker = data[position++];
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) continue;                  // TEM, RSTn: no length
            if (marker is 0xD8 or 0xD9 or 0x00)
                throw new XrayDecodeException(DecodeErrorKind.Malformed,
                    $"{what} is malformed: marker FF {marker:X2} at byte {position - 2} before any image data.");
            if (data.Length - position < 2) throw Truncated(what, position);
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
            if (length < 2)
                throw new XrayDecodeException(DecodeErrorKind.Malformed,
                    $"{what} is malformed: segment FF {marker:X2} at byte {position - 2} declares length {length} (minimum 2).");
            if (length > data.Length - position) throw Truncated(what, position);
            var segment = data.Slice(position + 2, length - 2);
            if (IsFrameMarker(marker))
            {
                if (frame is not null)
                    throw new XrayDecodeException(DecodeErrorKind.Malformed, $"{what} is malformed: it has two frame headers (SOFn).");
                frame = ReadFrame(segment, marker, limits, what);
            }
            else if (marker == 0xDA)
            {
                if (frame is null)
                    throw new XrayDecodeException(DecodeErrorKind.Malformed,
                        $"{what} is malformed: a scan (SOS) comes before the frame header (SOFn).");
                if (data[(position + length)..].IndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]) < 0)
                    throw new XrayDecodeException(DecodeErrorKind.Truncated,
                        $"{what} is truncated: no end-of-image marker (FF D9) after the scan data. Re-copy or re-export the file.");
                return frame.Value;
            }
            position += length;
        }
    }

    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), T.81 table B.1.
    private static bool IsFrameMarker(byte marker) => marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);

    private static JpegHeader ReadFrame(ReadOnlySpan<byte> segment, byte marker, DecodeLimits limits, string what)
    {
        if (segment.Length < 6)
            throw new XrayDecodeException(DecodeErrorKind.Malformed, $"{what} frame header (SOF) is shorter than 6 bytes.");
        int precision = segment[0], height = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]),
            width = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]), components = segment[5];
        if (marker is not (0xC0 or 0xC1 or 0xC2))
            throw new XrayDecodeException(DecodeErrorKind.UnsupportedAttribute,
                $"{what} uses {ProcessName(marker)} (marker FF {marker:X2}); only baseline, extended and progressive Huffman " +
                "JPEG (SOF0/1/2) are supported. Convert the image to PNG (e.g. with dcmtk or ImageMagick).");
        if (precision != 8)
            throw new XrayDecodeException(DecodeErrorKind.UnsupportedAttribute,
                $"{what} has {precision}-bit sample precision; only 8-bit JPEG is supported. Convert it to 16-bit PNG instead.");
        if (width == 0 || height == 0)
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"{what} frame header declares {width}x{height}; a zero height (size deferred to a DNL marker) is not supported.");
        if (components is not (1 or 3 or 4) || segment.Length < 6 + 3 * components)
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"{what} frame header declares {components} components in {segment.Length} bytes; expected 1, 3 or 4 components.");
        limits.CheckDimensions(width, height, $"{what} frame header");
        return new JpegHeader(width, height, precision, components, marker);
    }

    private static string ProcessName(byte marker) => marker switch
    {
        0xC3 => "lossless JPEG (process 14)",
        0xC5 or 0xC6 or 0xC7 => "hierarchical JPEG",
        _ => "arithmetic-coded JPEG",
    };

    private static XrayDecodeException Truncated(string what, int position) =>
        new(DecodeErrorKind.Truncated, $"{what} is truncated: it ends at byte {position} inside its headers. Re-copy the file.");
}

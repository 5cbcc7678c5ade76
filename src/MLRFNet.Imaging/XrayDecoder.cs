using MLRFNet.Imaging.Dicom;
using MLRFNet.Imaging.Jpeg;
using MLRFNet.Imaging.Png;

namespace MLRFNet.Imaging;

/// <summary>Decodes one format, after <see cref="XrayDecoder"/> has recognised it by its magic bytes.</summary>
internal delegate XrayImage FormatDecoder(ReadOnlySpan<byte> data, DecodeLimits limits);

/// <summary>
/// Decodes PNG, JPEG and DICOM Part 10 chest X-rays to one gray <see cref="XrayImage"/>. The format is detected from
/// the content (magic bytes), never from the file name. Every failure on bad input is an
/// <see cref="XrayDecodeException"/> whose <see cref="XrayDecodeException.Kind"/> says what kind of problem it is and
/// whose message says what to do; sizes are checked against <see cref="DecodeLimits"/> before any large allocation.
/// </summary>
public static class XrayDecoder
{
    private static readonly Dictionary<XrayFormat, FormatDecoder> Decoders = new()
    {
        [XrayFormat.Png] = PngReader.Decode,
        [XrayFormat.Jpeg] = JpegReader.Decode,
        [XrayFormat.Dicom] = DicomReader.Decode,
    };

    /// <summary>
    /// The format whose signature <paramref name="header"/> starts with, or null. Pass at least the first 132 bytes
    /// (DICOM's <c>DICM</c> sits after a 128-byte preamble); 8 suffice for PNG and 3 for JPEG.
    /// </summary>
    public static XrayFormat? Detect(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith(PngHeader.Signature)) return XrayFormat.Png;
        if (header.Length >= 3 && header[0] == 0xFF && header[1] == 0xD8 && header[2] == 0xFF) return XrayFormat.Jpeg;
        if (header.Length >= DicomDatasetWalker.DatasetStart && header.Slice(DicomDatasetWalker.PreambleLength, 4).SequenceEqual("DICM"u8))
            return XrayFormat.Dicom;
        return null;
    }

    /// <summary>Decodes an in-memory file. Throws <see cref="XrayDecodeException"/> on any bad input.</summary>
    public static XrayImage Decode(ReadOnlySpan<byte> data, DecodeLimits? limits = null)
    {
        limits = (limits ?? DecodeLimits.Default).Validate();
        if (data.IsEmpty)
            throw new XrayDecodeException(DecodeErrorKind.Empty, "The image is empty (0 bytes). Re-copy or re-export it.");
        if (data.Length > limits.MaxFileBytes)
            throw new XrayDecodeException(DecodeErrorKind.TooLarge,
                $"The image is {data.Length} bytes, above DecodeLimits.MaxFileBytes ({limits.MaxFileBytes}). Raise the limit if it is trusted.");
        var format = Detect(data) ?? throw Unrecognised(data);
        return Decoders[format](data, limits);
    }

    /// <summary>
    /// Decodes a file, checking its size against <see cref="DecodeLimits.MaxFileBytes"/> before reading it.
    /// I/O failures (missing file, permissions) surface as the usual <see cref="IOException"/> types.
    /// </summary>
    public static XrayImage DecodeFile(string path, DecodeLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        limits = (limits ?? DecodeLimits.Default).Validate();
        var length = new FileInfo(path).Length;
        if (length == 0)
            throw new XrayDecodeException(DecodeErrorKind.Empty, $"'{path}' is empty (0 bytes). Re-copy or re-export it.");
        if (length > limits.MaxFileBytes)
            throw new XrayDecodeException(DecodeErrorKind.TooLarge,
                $"'{path}' is {length} bytes, above DecodeLimits.MaxFileBytes ({limits.MaxFileBytes}). Raise the limit if it is trusted.");
        return Decode(File.ReadAllBytes(path), limits);
    }

    private static XrayDecodeException Unrecognised(ReadOnlySpan<byte> data)
    {
        // A prefix of a signature is a file cut off before its header ended.
        if (data.Length < 8 && PngHeader.Signature.StartsWith(data))
            return new XrayDecodeException(DecodeErrorKind.Truncated, $"The PNG is truncated to {data.Length} bytes, inside its signature.");
        var head = data[..Math.Min(8, data.Length)];
        var hex = Convert.ToHexString(head);
        var text = true;
        foreach (var b in data[..Math.Min(512, data.Length)])
            if (b is < 0x09 or (> 0x0D and < 0x20) and not 0x1B) { text = false; break; }
        var hint = text ? " It looks like text, not an image." :
            data.Length < DicomDatasetWalker.DatasetStart ? $" At {data.Length} bytes it is also too short for DICOM (≥ 132)." : "";
        return new XrayDecodeException(DecodeErrorKind.UnknownFormat,
            $"Unrecognised image format (first bytes {hex}): expected PNG (89504E47...), JPEG (FFD8FF...) or DICOM Part 10 " +
            $"('DICM' at byte 128).{hint} The format is detected from the content, not the file extension.");
    }
}

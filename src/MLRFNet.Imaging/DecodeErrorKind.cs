namespace MLRFNet.Imaging;

/// <summary>Why <see cref="XrayDecoder"/> refused an input; carried by <see cref="XrayDecodeException.Kind"/>.</summary>
public enum DecodeErrorKind
{
    /// <summary>Zero bytes.</summary>
    Empty,

    /// <summary>The data ends before the structure it declares is complete (cut-off download or copy).</summary>
    Truncated,

    /// <summary>The first bytes match no supported format (PNG, JPEG, DICOM Part 10).</summary>
    UnknownFormat,

    /// <summary>A <see cref="DecodeLimits"/> bound is exceeded (file size, width, height, pixel count, element length).</summary>
    TooLarge,

    /// <summary>
    /// A DICOM transfer syntax this decoder does not implement (big endian, JPEG Extended, High-Throughput JPEG 2000), or
    /// one whose native codec library (CharLS for JPEG-LS, OpenJPEG for JPEG 2000) is not installed: the message says which.
    /// </summary>
    UnsupportedTransferSyntax,

    /// <summary>A valid but unsupported attribute value: colour, Bits Allocated 32, an unknown VOI LUT Function...</summary>
    UnsupportedAttribute,

    /// <summary>The data is internally inconsistent (a length that lies, a missing required attribute, a bad header).</summary>
    Malformed,
}

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

    /// <summary>A DICOM transfer syntax this decoder does not implement (JPEG 2000, JPEG-LS, RLE, deflate, big endian...).</summary>
    UnsupportedTransferSyntax,

    /// <summary>A valid but unsupported attribute value: colour, multi-frame, Bits Allocated 32, a JPEG process...</summary>
    UnsupportedAttribute,

    /// <summary>The data is internally inconsistent (a length that lies, a missing required attribute, a bad header).</summary>
    Malformed,
}

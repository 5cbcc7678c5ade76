namespace MLRFNet.Imaging;

/// <summary>Container formats <see cref="XrayDecoder"/> recognises by their magic bytes (never by file extension).</summary>
public enum XrayFormat
{
    /// <summary>PNG: 8-byte signature <c>89 50 4E 47 0D 0A 1A 0A</c> (PNG spec, section 5.2).</summary>
    Png,

    /// <summary>JPEG/JFIF: SOI marker <c>FF D8</c> followed by another marker <c>FF</c> (ITU T.81, B.1.1.3).</summary>
    Jpeg,

    /// <summary>DICOM Part 10: 128-byte preamble then <c>DICM</c> (PS3.10, section 7.1).</summary>
    Dicom,
}

namespace MLRFNet.Imaging;

/// <summary>
/// A decoded X-ray: one gray channel, row-major, MONOCHROME2 (higher = brighter), in the 8-bit display range
/// 0..255 stored as float. 8-bit sources are unchanged; 16-bit PNG is divided by 257 (65535 → 255); colour sources
/// become ITU-R BT.601 luma (<see cref="Luminance"/>); DICOM is after the Modality LUT (rescale), the VOI window (or
/// the full stored range when there is none) and MONOCHROME1 inversion.
/// </summary>
public sealed class XrayImage
{
    public XrayImage(int width, int height, float[] pixels, int sourceBitDepth, XrayFormat format, DicomMetadata? dicom = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size must be positive (got {width}x{height}).");
        if ((long)width * height != pixels.Length)
            throw new ArgumentException($"Pixels holds {pixels.Length} values but {width}x{height} needs {(long)width * height}.", nameof(pixels));
        if (sourceBitDepth is < 1 or > 32)
            throw new ArgumentOutOfRangeException(nameof(sourceBitDepth), $"Source bit depth must be 1..32 (got {sourceBitDepth}).");
        if (format == XrayFormat.Dicom && dicom is null)
            throw new ArgumentException("A DICOM image needs its DicomMetadata.", nameof(dicom));
        Width = width;
        Height = height;
        Pixels = pixels;
        SourceBitDepth = sourceBitDepth;
        Format = format;
        Dicom = dicom;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Gray values 0..255 (float), row-major, <see cref="Width"/> × <see cref="Height"/>.</summary>
    public float[] Pixels { get; }

    /// <summary>Bits per sample in the source: 8 or 16 for PNG, 8 for JPEG, Bits Stored for DICOM (8, 12, 16...).</summary>
    public int SourceBitDepth { get; }

    public XrayFormat Format { get; }

    /// <summary>The DICOM attributes read from the file; null for PNG and JPEG.</summary>
    public DicomMetadata? Dicom { get; }
}

namespace MLRFNet.Imaging;

/// <summary>
/// Bounds checked before any large allocation, so a hostile or corrupt header (a PNG claiming 30000×30000, a DICOM
/// element claiming 2 GiB) fails fast with <see cref="DecodeErrorKind.TooLarge"/> instead of exhausting memory.
/// Defaults are generous for chest X-rays (NIH 1024², CheXpert ~2500², DR detectors up to ~4300²).
/// </summary>
public sealed record DecodeLimits
{
    /// <summary>Largest input accepted, in bytes (default 256 MiB).</summary>
    public long MaxFileBytes { get; init; } = 256L << 20;

    /// <summary>Largest width in pixels (default 16384).</summary>
    public int MaxWidth { get; init; } = 16384;

    /// <summary>Largest height in pixels (default 16384).</summary>
    public int MaxHeight { get; init; } = 16384;

    /// <summary>Largest width × height (default 100 million: ~400 MB of float output).</summary>
    public long MaxPixels { get; init; } = 100_000_000;

    /// <summary>
    /// Largest declared length of a DICOM element other than Pixel Data (default 16 MiB; real header elements are
    /// bytes to kilobytes). Pixel Data is bounded by <see cref="MaxFileBytes"/> and the pixel limits instead.
    /// </summary>
    public long MaxElementBytes { get; init; } = 16L << 20;

    /// <summary>Deepest DICOM sequence nesting followed while skipping (default 32); deeper input is refused.</summary>
    public int MaxSequenceDepth { get; init; } = 32;

    public static DecodeLimits Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bound that is not positive.</summary>
    public DecodeLimits Validate()
    {
        if (MaxFileBytes <= 0) throw new ArgumentException($"DecodeLimits.MaxFileBytes must be positive (got {MaxFileBytes}).");
        if (MaxWidth <= 0) throw new ArgumentException($"DecodeLimits.MaxWidth must be positive (got {MaxWidth}).");
        if (MaxHeight <= 0) throw new ArgumentException($"DecodeLimits.MaxHeight must be positive (got {MaxHeight}).");
        if (MaxPixels <= 0) throw new ArgumentException($"DecodeLimits.MaxPixels must be positive (got {MaxPixels}).");
        if (MaxElementBytes <= 0) throw new ArgumentException($"DecodeLimits.MaxElementBytes must be positive (got {MaxElementBytes}).");
        if (MaxSequenceDepth <= 0) throw new ArgumentException($"DecodeLimits.MaxSequenceDepth must be positive (got {MaxSequenceDepth}).");
        return this;
    }

    /// <summary>Throws <see cref="DecodeErrorKind.TooLarge"/> when a declared image size exceeds a bound.</summary>
    internal void CheckDimensions(long width, long height, string what)
    {
        if (width > MaxWidth || height > MaxHeight || width * height > MaxPixels)
            throw new XrayDecodeException(DecodeErrorKind.TooLarge,
                $"{what} declares {width}x{height} pixels, beyond the limits (width ≤ {MaxWidth}, height ≤ {MaxHeight}, " +
                $"pixels ≤ {MaxPixels}). Downscale the image, or raise DecodeLimits if the file is trusted.");
    }
}

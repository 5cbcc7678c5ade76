using System.ComponentModel.DataAnnotations;
using MLRFNet.Imaging;

namespace MLRFNet.Edge.Options;

/// <summary>Bounds on what the decoder accepts (<c>Edge:DecodeLimits</c>); defaults are those of <see cref="DecodeLimits.Default"/>.</summary>
public sealed class DecodeLimitsOptions
{
    [Range(1L, 4L << 30, ErrorMessage = "Edge:DecodeLimits:MaxFileBytes must be between 1 and 4294967296.")]
    public long MaxFileBytes { get; set; } = DecodeLimits.Default.MaxFileBytes;

    [Range(1, 65535, ErrorMessage = "Edge:DecodeLimits:MaxWidth must be between 1 and 65535.")]
    public int MaxWidth { get; set; } = DecodeLimits.Default.MaxWidth;

    [Range(1, 65535, ErrorMessage = "Edge:DecodeLimits:MaxHeight must be between 1 and 65535.")]
    public int MaxHeight { get; set; } = DecodeLimits.Default.MaxHeight;

    [Range(1L, 1L << 32, ErrorMessage = "Edge:DecodeLimits:MaxPixels must be between 1 and 4294967296.")]
    public long MaxPixels { get; set; } = DecodeLimits.Default.MaxPixels;

    public DecodeLimits ToLimits() =>
        new() { MaxFileBytes = MaxFileBytes, MaxWidth = MaxWidth, MaxHeight = MaxHeight, MaxPixels = MaxPixels };
}

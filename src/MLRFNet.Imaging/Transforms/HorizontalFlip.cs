namespace MLRFNet.Imaging.Transforms;

/// <summary>Mirror left-right in place (torchvision <c>hflip</c>): column x becomes column width − 1 − x.</summary>
public static class HorizontalFlip
{
    public static void Apply(Span<float> pixels, int width, int height)
    {
        if (pixels.Length != width * height)
            throw new ArgumentException($"Pixels holds {pixels.Length} values, not {width}x{height}.", nameof(pixels));
        for (var y = 0; y < height; y++) pixels.Slice(y * width, width).Reverse();
    }
}

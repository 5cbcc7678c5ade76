namespace MLRFNet.Imaging.Transforms;

/// <summary>
/// The centred square crop of torchvision's <c>CenterCrop</c>: top = <c>int(round((H − size) / 2))</c>, left likewise,
/// with Python's round-half-to-even (torchvision/transforms/functional.py, <c>center_crop</c>).
/// </summary>
public static class CenterCrop
{
    /// <summary>The crop window of side <paramref name="size"/> centred in a <paramref name="width"/> × <paramref name="height"/> image.</summary>
    public static CropWindow Window(int width, int height, int size)
    {
        if (size <= 0 || size > width || size > height)
            throw new ArgumentException($"Center crop {size} does not fit the {width}x{height} image (it would need padding).");
        // Math.Round defaults to MidpointRounding.ToEven, like Python 3's round().
        var top = (int)Math.Round((height - size) / 2.0);
        var left = (int)Math.Round((width - size) / 2.0);
        return new CropWindow(left, top, size, size);
    }

    /// <summary>Copies <paramref name="window"/> of a row-major image into a new array.</summary>
    public static float[] Apply(ReadOnlySpan<float> source, int width, int height, CropWindow window)
    {
        window.EnsureInside(width, height);
        var result = new float[window.Width * window.Height];
        for (var y = 0; y < window.Height; y++)
            source.Slice((window.Y + y) * width + window.X, window.Width).CopyTo(result.AsSpan(y * window.Width));
        return result;
    }
}

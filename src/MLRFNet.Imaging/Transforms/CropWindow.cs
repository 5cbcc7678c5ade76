namespace MLRFNet.Imaging.Transforms;

/// <summary>A rectangle of an image, in pixels: left <see cref="X"/>, top <see cref="Y"/>, size.</summary>
public readonly record struct CropWindow(int X, int Y, int Width, int Height)
{
    /// <summary>The whole of a <paramref name="width"/> × <paramref name="height"/> image.</summary>
    public static CropWindow Full(int width, int height) => new(0, 0, width, height);

    /// <summary>Throws <see cref="ArgumentException"/> unless the window is non-empty and inside the image.</summary>
    public void EnsureInside(int width, int height)
    {
        if (Width <= 0 || Height <= 0 || X < 0 || Y < 0 || (long)X + Width > width || (long)Y + Height > height)
            throw new ArgumentException($"Crop window {Width}x{Height} at ({X},{Y}) is not inside the {width}x{height} image.");
    }
}

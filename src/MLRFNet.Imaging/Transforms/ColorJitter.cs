namespace MLRFNet.Imaging.Transforms;

/// <summary>
/// torchvision <c>ColorJitter(brightness, contrast)</c> on a gray image in the 0..255 range
/// (torchvision/transforms/functional_tensor.py): brightness multiplies by b and clamps to [0, 255]; contrast blends
/// with the image's mean gray, <c>c·x + (1 − c)·mean</c>, then clamps. Saturation and hue are no-ops on grayscale
/// (saturation blends with the gray image itself, a hue shift leaves R = G = B unchanged), so they are not offered.
/// </summary>
public static class ColorJitter
{
    public static void Brightness(Span<float> pixels, double factor)
    {
        foreach (ref var v in pixels) v = Clamp(v * factor);
    }

    public static void Contrast(Span<float> pixels, double factor)
    {
        double sum = 0;
        foreach (var v in pixels) sum += v;
        var mean = sum / pixels.Length;
        foreach (ref var v in pixels) v = Clamp(factor * v + (1 - factor) * mean);
    }

    private static float Clamp(double v) => (float)Math.Clamp(v, 0.0, 255.0);
}

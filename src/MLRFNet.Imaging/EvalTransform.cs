using MLRFNet.Core.Preprocessing;
using MLRFNet.Imaging.Transforms;

namespace MLRFNet.Imaging;

/// <summary>
/// The deterministic evaluation transform of a <see cref="PreprocessingSpec"/>, shared by training-time validation
/// and the edge service: resize so the shorter side is <c>ResizeSize</c> (aspect kept, antialiased bilinear,
/// <see cref="Resize"/>), centre crop <c>CropSize</c> (<see cref="CenterCrop"/>; both placed by
/// <see cref="CropGeometry"/>, which the heatmaps use too), multiply by <c>PixelScale</c>,
/// replicate the gray plane to <c>Channels</c>, then <c>(x − Mean[c]) / Std[c]</c>. Output is C × H × W float,
/// row-major, like torchvision's <c>Resize → CenterCrop → ToTensor → Normalize</c>.
/// </summary>
public static class EvalTransform
{
    /// <summary>A new C × CropSize × CropSize tensor.</summary>
    public static float[] ToTensor(XrayImage image, PreprocessingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var result = new float[spec.Validate().Channels * spec.CropSize * spec.CropSize];
        ToTensor(image, spec, result);
        return result;
    }

    /// <summary>Writes C × CropSize × CropSize values into <paramref name="destination"/> (e.g. a batch slot).</summary>
    public static void ToTensor(XrayImage image, PreprocessingSpec spec, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var plane = spec.CropSize * spec.CropSize;
        if (destination.Length != spec.Channels * plane)
            throw new ArgumentException(
                $"Destination holds {destination.Length} values; {spec.Channels}x{spec.CropSize}x{spec.CropSize} needs {spec.Channels * plane}.",
                nameof(destination));
        var crop = CropGeometry.Of(image.Width, image.Height, spec);
        Resize.Bilinear(image.Pixels, image.Width, image.Height, crop.ResizedWidth, crop.ResizedHeight, crop.Window, destination[..plane]);
        Normalize(destination, spec);
    }

    /// <summary>
    /// In place: channel 0 holds the raw gray plane on entry; every channel c gets (gray · PixelScale − Mean[c]) / Std[c].
    /// Channels above 0 are written first because they read the raw plane that channel 0 then overwrites.
    /// </summary>
    internal static void Normalize(Span<float> tensor, PreprocessingSpec spec)
    {
        var plane = spec.CropSize * spec.CropSize;
        var gray = tensor[..plane];
        for (var c = spec.Channels - 1; c >= 0; c--)
        {
            // (x·s − m) / d = x·(s/d) − m/d: one multiply-add per value.
            float gain = spec.PixelScale / spec.Std[c], offset = -spec.Mean[c] / spec.Std[c];
            var output = tensor.Slice(c * plane, plane);
            for (var i = 0; i < plane; i++) output[i] = gray[i] * gain + offset;
        }
    }
}

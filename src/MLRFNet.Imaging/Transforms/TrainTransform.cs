using MLRFNet.Core.Preprocessing;

namespace MLRFNet.Imaging.Transforms;

/// <summary>
/// The random training transform (issue 4), deterministic for a given seeded <see cref="Random"/>: resize so the
/// shorter side is ResizeSize (the same <see cref="Resize"/> as <see cref="EvalTransform"/>), random crop CropSize
/// (torchvision RandomCrop: top then left, each uniform over the valid offsets), horizontal flip with
/// <see cref="AugmentationOptions.FlipProbability"/>, rotation uniform in ±<see cref="AugmentationOptions.MaxRotationDegrees"/>
/// (<see cref="Rotation"/>, bilinear, fill 0), brightness and contrast (<see cref="ColorJitter"/>, applied in a random
/// order as torchvision's ColorJitter does), then the spec's scale, channel replication and normalisation.
/// Random draws, in order: top, left, flip, angle, jitter order, brightness factor, contrast factor.
/// </summary>
public static class TrainTransform
{
    public static float[] ToTensor(XrayImage image, PreprocessingSpec spec, AugmentationOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var result = new float[spec.Validate().Channels * spec.CropSize * spec.CropSize];
        ToTensor(image, spec, options, random, result);
        return result;
    }

    public static void ToTensor(XrayImage image, PreprocessingSpec spec, AugmentationOptions options, Random random, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(random);
        spec.Validate();
        options.Validate();
        var size = spec.CropSize;
        var plane = size * size;
        if (destination.Length != spec.Channels * plane)
            throw new ArgumentException($"Destination holds {destination.Length} values; {spec.Channels}x{size}x{size} needs {spec.Channels * plane}.");
        var (width, height) = Resize.ShorterSideTo(image.Width, image.Height, spec.ResizeSize);
        var top = random.Next(0, height - size + 1);
        var left = random.Next(0, width - size + 1);
        var gray = destination[..plane];
        Resize.Bilinear(image.Pixels, image.Width, image.Height, width, height, new CropWindow(left, top, size, size), gray);
        if (random.NextDouble() < options.FlipProbability) HorizontalFlip.Apply(gray, size, size);
        var angle = (random.NextDouble() * 2 - 1) * options.MaxRotationDegrees;
        if (angle != 0)
        {
            var source = System.Buffers.ArrayPool<float>.Shared.Rent(plane);
            try
            {
                gray.CopyTo(source);
                Rotation.Apply(source.AsSpan(0, plane), gray, size, size, angle);
            }
            finally
            {
                System.Buffers.ArrayPool<float>.Shared.Return(source);
            }
        }
        var brightnessFirst = random.Next(2) == 0;
        var brightness = Factor(random, options.Brightness);
        var contrast = Factor(random, options.Contrast);
        if (brightnessFirst) { ColorJitter.Brightness(gray, brightness); ColorJitter.Contrast(gray, contrast); }
        else { ColorJitter.Contrast(gray, contrast); ColorJitter.Brightness(gray, brightness); }
        EvalTransform.Normalize(destination, spec);
    }

    // torchvision ColorJitter._check_input: [max(0, 1 − v), 1 + v], uniform.
    private static double Factor(Random random, double amount)
    {
        var low = Math.Max(0, 1 - amount);
        return low + random.NextDouble() * (1 + amount - low);
    }
}

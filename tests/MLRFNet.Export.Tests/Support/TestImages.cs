using MLRFNet.Core.Preprocessing;
using MLRFNet.Imaging;
using MLRFNet.Imaging.Synthetic;

namespace MLRFNet.Export.Tests.Support;

/// <summary>Model inputs: seeded Gaussian noise, synthetic chest phantoms and real X-rays, each through EvalTransform.</summary>
internal static class TestImages
{
    /// <summary><paramref name="count"/> images of N(0, 1) noise (the range of normalized inputs), seeded.</summary>
    public static float[] Gaussian(int count, int seed, int channels = 3, int size = 224)
    {
        var random = new Random(seed);
        var values = new float[count * channels * size * size];
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return values;
    }

    /// <summary>Phantoms <paramref name="first"/>.. of set 7, 512 px, preprocessed with <paramref name="spec"/>.</summary>
    public static float[] Phantoms(int count, PreprocessingSpec spec, int first = 0)
    {
        var length = spec.Channels * spec.CropSize * spec.CropSize;
        var values = new float[count * length];
        for (var i = 0; i < count; i++)
        {
            var (pixels, _) = ChestPhantom.Generate(seed: 7, index: first + i);
            var image = new XrayImage(512, 512, pixels.Select(p => (float)p).ToArray(), 8, XrayFormat.Png);
            EvalTransform.ToTensor(image, spec, values.AsSpan(i * length, length));
        }
        return values;
    }

    /// <summary>Real X-rays (decoded, preprocessed) in file-name order; the caller has checked the folder exists.</summary>
    public static float[] Files(IReadOnlyList<string> paths, PreprocessingSpec spec)
    {
        var length = spec.Channels * spec.CropSize * spec.CropSize;
        var values = new float[paths.Count * length];
        for (var i = 0; i < paths.Count; i++) EvalTransform.ToTensor(XrayDecoder.DecodeFile(paths[i]), spec, values.AsSpan(i * length, length));
        return values;
    }

    public static float[] Image(float[] batch, int index, int length = 3 * 224 * 224) => batch.AsSpan(index * length, length).ToArray();
}

using MLRFNet.Core.Preprocessing;
using MLRFNet.Imaging;
using MLRFNet.Imaging.Synthetic;

namespace MLRFNet.Benchmarks;

/// <summary>
/// Benchmark inputs from <see cref="ChestPhantom"/>s (no patient data): model inputs made through the model's own
/// evaluation preprocessing (the path the service takes after decoding), and PNG files to drop into the service.
/// </summary>
public static class PhantomInputs
{
    /// <summary>Seed of every phantom the benchmark uses; the images are the same in every run.</summary>
    public const int Seed = 8;

    /// <summary>Phantoms <paramref name="first"/>.. as C×H×W tensors of <paramref name="spec"/>.</summary>
    public static IReadOnlyList<float[]> Tensors(PreprocessingSpec spec, int count, int size, int first = 0)
    {
        var tensors = new float[count][];
        Parallel.For(0, count, i =>
        {
            var (pixels, _) = ChestPhantom.Generate(Seed, first + i, size);
            var image = new XrayImage(size, size, Array.ConvertAll(pixels, p => (float)p), 8, XrayFormat.Png);
            tensors[i] = EvalTransform.ToTensor(image, spec);
        });
        return tensors;
    }

    /// <summary>Writes <paramref name="count"/> grayscale PNGs of <paramref name="size"/>² into <paramref name="folder"/>; returns their paths.</summary>
    public static IReadOnlyList<string> WritePngs(string folder, int count, int size, int first = 0)
    {
        PhantomDataset.Write(folder, count, Seed, size, first);
        return Enumerable.Range(first, count).Select(i => Path.Combine(folder, "images", PhantomDataset.FileName(i))).ToArray();
    }
}

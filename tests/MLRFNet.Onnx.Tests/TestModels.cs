using MLRFNet.Onnx.Quantization.Proto;

namespace MLRFNet.Onnx.Tests;

/// <summary>
/// The committed fixture models (made by Fixtures/make_quantization_fixtures.py) and the images fed to them:
/// the analytic reference images of that script, re-created here with the same double arithmetic, and seeded
/// random smooth images for calibration and evaluation sets.
/// </summary>
internal static class TestModels
{
    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures");
    public static string ConvStack => Path.Combine(Fixtures, "conv_stack.onnx");
    public static string BranchOps => Path.Combine(Fixtures, "branch_ops.onnx");

    /// <summary>A fresh folder under the test output for files a test writes (kept for inspection).</summary>
    public static string OutputFolder(string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "artifacts", name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary><c>reference_image(k, channels, size)</c> of the fixture script.</summary>
    public static float[] ReferenceImage(int k, int channels, int size)
    {
        var a = 0.05 + 0.013 * k;
        var b = 0.07 + 0.011 * k;
        var d = 0.09 + 0.007 * k;
        var phase = 0.3 * k;
        var image = new float[channels * size * size];
        for (var c = 0; c < channels; c++)
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                    image[(c * size + y) * size + x] = (float)(Math.Sin(a * x + b * y + 0.5 * c + phase) + 0.5 * Math.Cos(d * (x - y) + 0.25 * c));
        return image;
    }

    /// <summary>
    /// Seeded smooth random images in the style of the reference images (random stripe frequencies and phases,
    /// a few Gaussian blobs, a random contrast and channel gains, a little noise), so activations look like those
    /// of natural inputs, not white noise; with the four 0/1 attribute targets the fixture models were trained on
    /// (rules shared with random_image in make_quantization_fixtures.py): high contrast (&gt; 1.15), a bright blob
    /// (height &gt; 0.6), fine stripes (a + b &gt; 0.22), channel 0 gain above channel 2 gain.
    /// </summary>
    public static List<(float[] Image, float[] Targets)> RandomLabelledImages(int count, int channels, int size, int seed)
    {
        var random = new Random(seed);
        var images = new List<(float[], float[])>(count);
        for (var n = 0; n < count; n++)
        {
            var a = 0.02 + 0.2 * random.NextDouble();
            var b = 0.02 + 0.2 * random.NextDouble();
            var d = 0.05 + 0.15 * random.NextDouble();
            var phase = 6.283 * random.NextDouble();
            var amplitude = 0.5 + random.NextDouble();
            var blobs = Enumerable.Range(0, 3).Select(_ => (x: random.NextDouble() * size, y: random.NextDouble() * size,
                r: 3 + 8 * random.NextDouble(), h: 2 * random.NextDouble() - 1)).ToArray();
            var contrast = 0.3 + 1.7 * random.NextDouble();
            var gains = Enumerable.Range(0, channels).Select(_ => 0.7 + 0.6 * random.NextDouble()).ToArray();
            var image = new float[channels * size * size];
            for (var c = 0; c < channels; c++)
                for (var y = 0; y < size; y++)
                    for (var x = 0; x < size; x++)
                    {
                        var v = amplitude * Math.Sin(a * x + b * y + 0.5 * c + phase) + 0.5 * Math.Cos(d * (x - y) + 0.25 * c);
                        foreach (var blob in blobs)
                        {
                            var dx = x - blob.x;
                            var dy = y - blob.y;
                            v += blob.h * Math.Exp(-(dx * dx + dy * dy) / (2 * blob.r * blob.r));
                        }
                        image[(c * size + y) * size + x] = (float)(contrast * gains[c] * v + 0.05 * (random.NextDouble() - 0.5));
                    }
            float[] targets = [contrast > 1.15 ? 1 : 0, blobs.Max(bl => bl.h) > 0.6 ? 1 : 0, a + b > 0.22 ? 1 : 0, gains[0] > gains[2] ? 1 : 0];
            images.Add((image, targets));
        }
        return images;
    }

    public static List<float[]> RandomImages(int count, int channels, int size, int seed) =>
        RandomLabelledImages(count, channels, size, seed).Select(p => p.Image).ToList();

    public static NamedTensor Batch(string name, IReadOnlyList<float[]> images, int channels, int size)
    {
        var data = new float[images.Count * channels * size * size];
        for (var i = 0; i < images.Count; i++) images[i].CopyTo(data, i * channels * size * size);
        return new NamedTensor(name, data, [images.Count, channels, size, size]);
    }
}

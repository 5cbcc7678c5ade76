using System.Text.Json;
using MLRFNet.Core.Manifest;

namespace MLRFNet.Inference.Tests.Support;

/// <summary>
/// The committed tiny model (Fixtures/make_tiny_model.py): MLRFNet's I/O contract with 14 classes, its manifest, and
/// outputs computed by the script in float64 numpy for a few LCG-generated images.
/// </summary>
internal static class TinyModel
{
    public const int Classes = 14;
    public const int ImageLength = 3 * 224 * 224;

    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Fixtures");
    public static string ModelPath => Path.Combine(Dir, "tiny_mlrfnet.onnx");

    private static readonly Lazy<Expectations> expected = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "tiny_mlrfnet.expected.json")));
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new ExpectedCase(
            c.GetProperty("seed").GetUInt32(),
            Doubles(c.GetProperty("logits")),
            Doubles(c.GetProperty("probabilities")),
            Doubles(c.GetProperty("class_map_u4")),
            Samples(c.GetProperty("class_map_u2_samples")),
            Samples(c.GetProperty("class_map_u3_samples")),
            c.GetProperty("class_map_u2_sum").GetDouble(),
            c.GetProperty("class_map_u3_sum").GetDouble())).ToArray();
        return new Expectations(doc.RootElement.GetProperty("model_sha256").GetString()!, cases);
    });

    public static Expectations Expected => expected.Value;

    /// <summary>The script's image for <paramref name="seed"/>: 32-bit LCG, values k / 2^23 - 1 (exact in float32).</summary>
    public static float[] Image(uint seed)
    {
        var x = new float[ImageLength];
        var s = seed;
        for (var i = 0; i < x.Length; i++)
        {
            s = unchecked(1664525u * s + 1013904223u);
            x[i] = (float)((s >> 8) / 16777216.0 * 2.0 - 1.0);
        }
        return x;
    }

    /// <summary>A private copy of the model and its manifest in a fresh folder, for tests that alter one of them.</summary>
    public static TempModel Copy(Func<ModelManifest, ModelManifest>? editManifest = null)
    {
        var dir = Directory.CreateTempSubdirectory("mlrfnet-inference-");
        var model = Path.Combine(dir.FullName, "model.onnx");
        File.Copy(ModelPath, model);
        var manifest = ModelManifest.Load(ModelManifest.ManifestPathFor(ModelPath));
        (editManifest?.Invoke(manifest) ?? manifest).Save(ModelManifest.ManifestPathFor(model));
        return new TempModel(dir.FullName, model);
    }

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static (int Index, double Value)[] Samples(JsonElement e) =>
        e.EnumerateArray().Select(p => (p[0].GetInt32(), p[1].GetDouble())).ToArray();
}

internal sealed record Expectations(string ModelSha256, ExpectedCase[] Cases);

internal sealed record ExpectedCase(uint Seed, double[] Logits, double[] Probabilities, double[] ClassMapU4,
    (int Index, double Value)[] ClassMapU2Samples, (int Index, double Value)[] ClassMapU3Samples, double ClassMapU2Sum, double ClassMapU3Sum);

internal sealed record TempModel(string Dir, string ModelPath) : IDisposable
{
    public string ManifestPath => ModelManifest.ManifestPathFor(ModelPath);

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { /* best effort: a leftover temp folder must not fail a test */ }
    }
}

using System.Text.Json;

namespace MLRFNet.Onnx.Tests;

/// <summary>Reader of Fixtures/quantization_fixtures.json (written by make_quantization_fixtures.py).</summary>
internal static class QuantizationFixture
{
    private static readonly Lazy<JsonElement> root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestModels.Fixtures, "quantization_fixtures.json"))).RootElement);

    public static JsonElement Root => root.Value;

    public static float[] Data(string name) =>
        Root.GetProperty("calibrationData").GetProperty(name).EnumerateArray().Select(e => e.GetSingle()).ToArray();

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => e.GetSingle()).ToArray();

    public static double[] Doubles(JsonElement array) =>
        array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? double.PositiveInfinity : e.GetDouble()).ToArray();

    public static long[] Longs(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt64()).ToArray();

    /// <summary>A [rows][cols] array of floats, flattened row-major.</summary>
    public static float[] Matrix(JsonElement array) => array.EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(e => e.GetSingle()).ToArray();
}

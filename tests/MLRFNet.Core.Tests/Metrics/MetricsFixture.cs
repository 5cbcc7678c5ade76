using System.Text.Json.Nodes;
using MLRFNet.Core.Metrics;

namespace MLRFNet.Core.Tests.Metrics;

/// <summary>
/// Reads Fixtures/metrics_fixtures.json, written by Fixtures/make_metrics_fixtures.py from scikit-learn, SciPy and
/// NumPy. Cases are exposed by name so each runs as its own test.
/// </summary>
internal static class MetricsFixture
{
    private static readonly Lazy<JsonObject> root = new(() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "metrics_fixtures.json")))!);

    /// <summary>Tolerance against scikit-learn/SciPy: the issue asks for agreement to 1e-9.</summary>
    public const double Tolerance = 1e-9;

    public static JsonObject Root => root.Value;

    public static JsonArray Array(string name) => Root[name]!.AsArray();

    public static JsonObject Case(string section, string name) =>
        Array(section).Select(c => c!.AsObject()).Single(c => (string)c["name"]! == name);

    public static TheoryData<string> Names(string section)
    {
        var data = new TheoryData<string>();
        foreach (var c in Array(section)) data.Add((string)c!["name"]!);
        return data;
    }

    public static float[] Floats(JsonNode? node) => node!.AsArray().Select(v => (float)(double)v!).ToArray();

    public static double[] Doubles(JsonNode? node) => node!.AsArray().Select(v => (double)v!).ToArray();

    public static int[] Ints(JsonNode? node) => node!.AsArray().Select(v => (int)v!).ToArray();

    public static double? NullableDouble(JsonNode? node) => node is null ? null : (double)node;

    /// <summary>The generator of make_metrics_fixtures.py's large cases, on the same SplitMix64 stream.</summary>
    public static (float[] Scores, int[] Labels) Generate(JsonNode spec)
    {
        var random = new SplitMix64((ulong)spec["seed"]!);
        var n = (int)spec["n"]!;
        var prevalence = (int)spec["prevalence_per_mille"]!;
        var shift = (double)spec["shift"]!;
        var decimals = (int?)spec["decimals"];
        var scores = new float[n];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            var y = random.Below(1000) < prevalence ? 1 : 0;
            var u = random.NextUnit();
            var x = u * (1.0 - shift) + shift * y;
            if (decimals is { } d)
            {
                var scale = d switch { 1 => 10.0, 2 => 100.0, 3 => 1000.0, _ => throw new ArgumentException("decimals") };
                x = Math.Floor(x * scale) / scale;
            }
            labels[i] = y;
            scores[i] = (float)x;
        }
        return (scores, labels);
    }

    public static void Close(double expected, double actual, string what, double tolerance = Tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance,
            $"{what}: expected {expected:R}, got {actual:R} (|diff| {Math.Abs(expected - actual):E2} > {tolerance:E0})");

    public static void Close(double? expected, double? actual, string what, double tolerance = Tolerance)
    {
        Assert.True(expected.HasValue == actual.HasValue, $"{what}: expected {expected?.ToString("R") ?? "undefined"}, got {actual?.ToString("R") ?? "undefined"}");
        if (expected.HasValue) Close(expected.Value, actual!.Value, what, tolerance);
    }

    public static void Close(double[] expected, double[] actual, string what, double tolerance = Tolerance)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}");
        for (var k = 0; k < expected.Length; k++) Close(expected[k], actual[k], $"{what}[{k}]", tolerance);
    }
}

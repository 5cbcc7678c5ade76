using System.Text.Json;
using MLRFNet.Export.Graph;

namespace MLRFNet.Export.Tests.Support;

/// <summary>
/// Weights (PyTorch state_dict names) and outputs written by Fixtures/make_graph_references.py, and the LCG inputs
/// that script fed its modules.
/// </summary>
internal sealed class GraphReferences
{
    private static readonly Lazy<GraphReferences> instance = new(() => new GraphReferences());
    private readonly JsonElement cases;
    private readonly float[] data;

    private GraphReferences()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        var bytes = File.ReadAllBytes(Path.Combine(dir, "graph_references.bin"));
        data = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, data, 0, bytes.Length);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "graph_references.json")));
        cases = doc.RootElement.GetProperty("cases").Clone();
    }

    public static GraphReferences Instance => instance.Value;

    public Case this[string name] => new(this, cases.GetProperty(name));

    internal sealed class Case(GraphReferences owner, JsonElement json)
    {
        public int[] InputShape => Shape(json.GetProperty("input"));

        public float[] Input => Lcg.Values(json.GetProperty("input").GetProperty("lcg_seed").GetUInt32(), InputShape.Aggregate(1, (a, b) => a * b));

        public FloatTensor Parameter(string name) => Read(json.GetProperty("parameters"), name);

        public float[] Vector(string name) => Parameter(name).Values;

        public FloatTensor Output(string name = "output") => Read(json.GetProperty("outputs"), name);

        public double Number(string name) => json.GetProperty(name).GetDouble();

        public IEnumerable<string> ParameterNames => json.GetProperty("parameters").EnumerateObject().Select(p => p.Name);

        private FloatTensor Read(JsonElement table, string name)
        {
            if (!table.TryGetProperty(name, out var e)) throw new KeyNotFoundException($"Reference tensor '{name}' is not in the fixture.");
            var shape = Shape(e);
            var count = shape.Aggregate(1, (a, b) => a * b);
            return new FloatTensor(owner.data.AsSpan(e.GetProperty("offset").GetInt32(), count).ToArray(), shape);
        }

        private static int[] Shape(JsonElement e) => e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
    }
}

/// <summary>The fixtures' 32-bit LCG (Numerical Recipes constants), values k / 2^23 − 1, exact in float32.</summary>
internal static class Lcg
{
    public static float[] Values(uint seed, int count)
    {
        var x = new float[count];
        var s = seed;
        for (var i = 0; i < count; i++)
        {
            s = unchecked(1664525u * s + 1013904223u);
            x[i] = (float)((s >> 8) / 16777216.0 * 2.0 - 1.0);
        }
        return x;
    }
}

using System.Collections;
using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MLRFNet.Training.Tests.TestSupport;

/// <summary>Reads the committed fixtures (made by Fixtures/make_*.py) from the test output folder.</summary>
internal static class Fixture
{
    public static string PathOf(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        if (!File.Exists(path)) throw new FileNotFoundException($"Fixture {name} missing; regenerate it with the make_*.py scripts in Fixtures/.", path);
        return path;
    }

    public static JsonElement Json(string name) => JsonDocument.Parse(File.ReadAllText(PathOf(name))).RootElement;

    /// <summary>A dict of tensors saved by torch.save (zip format).</summary>
    public static Dictionary<string, Tensor> Tensors(string name)
    {
        var table = PyTorchUnpickler.UnpickleStateDict(PathOf(name));
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table) result[(string)entry.Key] = (Tensor)entry.Value!;
        return result;
    }

    /// <summary>{"shape": [...], "data": [...]} as a float32 tensor.</summary>
    public static Tensor Tensor(JsonElement element)
    {
        var shape = element.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var data = element.GetProperty("data").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        return tensor(data).reshape(shape);
    }

    public static double MaxAbsDiff(Tensor a, Tensor b)
    {
        Assert.Equal(b.shape, a.shape);
        using var d = (a.to(float64) - b.to(float64)).abs().max();
        return d.item<double>();
    }
}

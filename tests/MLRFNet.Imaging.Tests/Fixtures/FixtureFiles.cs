using System.Text.Json.Nodes;
using MLRFNet.Tests;

namespace MLRFNet.Imaging.Tests.Fixtures;

/// <summary>The committed reference files made by the make_*.py scripts in this folder.</summary>
internal static class FixtureFiles
{
    public static string Directory => Path.Combine(SharedData.RepoRoot, "tests", "MLRFNet.Imaging.Tests", "Fixtures");

    public static string PathOf(string relative) => Path.Combine(Directory, relative);

    public static JsonNode Load(string name) =>
        JsonNode.Parse(File.ReadAllText(PathOf(name))) ?? throw new InvalidDataException($"{name} is empty.");

    public static float[] Floats(JsonNode? array) => array!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
}

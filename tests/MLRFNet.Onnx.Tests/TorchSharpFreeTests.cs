using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using MLRFNet.Onnx.Quantization;

namespace MLRFNet.Onnx.Tests;

/// <summary>
/// MLRFNet.Onnx (ONNX format layer, FP16, INT8, QA) must not reference TorchSharp or MLRFNet.Training, directly or
/// through another project or package: quantizing or gating a model must not need libtorch. Exporting TorchSharp
/// modules is MLRFNet.Export's job. Catches: someone adding a Training/TorchSharp reference back to MLRFNet.Onnx or
/// to a project it references (Core, Inference).
/// </summary>
public sealed class TorchSharpFreeTests
{
    private static readonly string[] Forbidden = ["TorchSharp", "MLRFNet.Training", "MLRFNet.Export", "libtorch"];

    [Fact]
    public void The_restore_graph_of_MLRFNet_Onnx_holds_no_TorchSharp_and_no_Training_project()
    {
        // project.assets.json is NuGet's resolved dependency closure of the project (packages and projects, direct
        // and transitive), as the build used it.
        var assets = Path.Combine(RepositoryRoot(), "src", "MLRFNet.Onnx", "obj", "project.assets.json");
        Assert.True(File.Exists(assets), $"{assets} is missing; build src/MLRFNet.Onnx first.");
        using var doc = JsonDocument.Parse(File.ReadAllText(assets));
        var libraries = doc.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains(libraries, l => l.StartsWith("MLRFNet.Inference/", StringComparison.Ordinal)); // the file is the real closure
        Assert.DoesNotContain(libraries, l => Forbidden.Any(f => l.StartsWith(f, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void The_built_MLRFNet_Onnx_assembly_and_the_assemblies_it_references_name_no_TorchSharp()
    {
        // The compiled reference closure, read from assembly metadata (what the runtime would load), starting at the
        // MLRFNet.Onnx.dll this test project runs against.
        var directory = Path.GetDirectoryName(typeof(QdqQuantizer).Assembly.Location)!;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([typeof(QdqQuantizer).Assembly.GetName().Name!]);
        while (pending.TryPop(out var name))
        {
            if (!seen.Add(name)) continue;
            var path = Path.Combine(directory, name + ".dll");
            if (!File.Exists(path)) continue; // framework assemblies live in the shared runtime
            using var pe = new PEReader(File.OpenRead(path));
            var reader = pe.GetMetadataReader();
            foreach (var handle in reader.AssemblyReferences)
                pending.Push(reader.GetString(reader.GetAssemblyReference(handle).Name));
        }
        Assert.Contains("MLRFNet.Inference", seen);
        Assert.DoesNotContain(seen, n => Forbidden.Any(f => n.StartsWith(f, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void No_TorchSharp_or_libtorch_file_is_deployed_beside_the_ONNX_tooling()
    {
        // This test project references MLRFNet.Onnx only, so whatever reaches its output folder came through it.
        var files = Directory.EnumerateFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories)
            .Select(Path.GetFileName).ToArray();
        Assert.Contains("MLRFNet.Onnx.dll", files);
        Assert.DoesNotContain(files, f => Forbidden.Any(x => f!.Contains(x, StringComparison.OrdinalIgnoreCase)));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MLRFNet.Edge.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No MLRFNet.Edge.sln above {AppContext.BaseDirectory}.");
    }
}

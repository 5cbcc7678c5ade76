using System.Collections.Concurrent;
using System.Diagnostics;
using MLRFNet.Export;
using MLRFNet.Export.Tests.Support;
using MLRFNet.Training.Models;

namespace MLRFNet.Export.Tests.Export;

/// <summary>One registered variant exported once: its ONNX file, the input it was checked on and TorchSharp's outputs.</summary>
internal sealed record ExportedVariant(string Name, string OnnxPath, float[] Input, TorchOutputs Reference, IReadOnlyList<string> ClassMaps,
    TimeSpan ExportTime, long Bytes);

/// <summary>
/// Exports each registered variant on first use (seeded random weights, calibrated BatchNorms), shared by the tests
/// of <see cref="VariantExportTests"/> so the big Res2Net-50/ResNet-50 models are built and exported once.
/// </summary>
public sealed class ExportedVariants : IDisposable
{
    public const int Classes = 14;
    private readonly DirectoryInfo dir = System.IO.Directory.CreateTempSubdirectory("mlrfnet-variants-");
    private readonly ConcurrentDictionary<string, Lazy<ExportedVariant>> exported = new(StringComparer.Ordinal);

    public string Directory => dir.FullName;

    internal ExportedVariant Get(string variant) =>
        exported.GetOrAdd(variant, name => new Lazy<ExportedVariant>(() => Export(name))).Value;

    private ExportedVariant Export(string name)
    {
        using var model = RandomModels.Create(name, Classes, seed: 31);
        var spec = model.Variant.Preprocessing;
        var input = TestImages.Gaussian(1, seed: 32, spec.Channels, spec.CropSize);
        var reference = TorchReference.Run(model, input, 1, spec.Channels, spec.CropSize);
        var clock = Stopwatch.StartNew();
        var graph = MLRFNetOnnxExporter.Build(model, MLRFNetOnnxExporterTests.Metadata(model));
        var path = Path.Combine(dir.FullName, name + ".onnx");
        graph.Save(path);
        var elapsed = clock.Elapsed;
        var maps = ((MLRFNet.Training.Models.Heads.IMultiLevelHead)model.named_children().Single(c => c.name == "classifier").module)
            .Levels.Select(GraphNames.ClassMap).ToArray();
        return new ExportedVariant(name, path, input, reference, maps, elapsed, new FileInfo(path).Length);
    }

    public void Dispose() => dir.Delete(recursive: true);
}

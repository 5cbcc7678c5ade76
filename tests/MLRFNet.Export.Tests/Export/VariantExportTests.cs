using MLRFNet.Export.Tests.Support;
using MLRFNet.Training.Models;
using Xunit.Abstractions;

namespace MLRFNet.Export.Tests.Export;

/// <summary>
/// Every registered variant (the registry, not a list copied here) exports, loads in ONNX Runtime with all graph
/// optimizations and reproduces its TorchSharp model on one input; the files pass the ONNX checker.
/// </summary>
public sealed class VariantExportTests(ExportedVariants variants, ITestOutputHelper output) : IClassFixture<ExportedVariants>
{
    public static TheoryData<string> Variants => new(ModelVariants.Names.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_exports_and_matches_torchsharp_in_onnx_runtime(string variant)
    {
        var exported = variants.Get(variant);
        using var ort = new OrtModel(exported.OnnxPath);
        var spec = ModelVariants.Get(variant).Preprocessing;
        var result = ort.Run(exported.Input, 1, spec.Channels, spec.CropSize);

        // The GAP+FC head exposes one class map (its class activation map on U4); MRFC one per level.
        Assert.Equal(["logits", "probabilities", .. exported.ClassMaps], ort.Session.OutputNames);
        var parity = Parity.Of(result, exported.Reference, exported.ClassMaps);
        output.WriteLine($"{variant}: {parity}; export {exported.ExportTime.TotalSeconds:F1} s, {exported.Bytes / 1048576.0:F1} MiB");
        parity.AssertWithinTolerance();
    }

    [SkippableFact]
    public void Every_exported_variant_passes_the_onnx_checker_with_full_check()
    {
        ModelChecker.SkipUnlessAvailable();
        foreach (var name in ModelVariants.Names) variants.Get(name);
        var (exit, report) = ModelChecker.CheckDirectory(variants.Directory);
        output.WriteLine(report);
        Assert.True(exit == 0, report);
        var ok = report.Split('\n').Where(l => l.StartsWith("OK ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(ModelVariants.Names.Count, ok.Length);
        Assert.All(ok, l => Assert.Contains("ir=8 opset=17", l));
    }
}

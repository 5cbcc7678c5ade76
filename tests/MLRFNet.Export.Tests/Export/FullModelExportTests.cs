using System.Diagnostics;
using MLRFNet.Export;
using MLRFNet.Export.Tests.Support;
using MLRFNet.Tests;
using MLRFNet.Training.Models;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLRFNet.Export.Tests.Export;

/// <summary>The full Res2Net-50 MLRFNet (random weights, calibrated BatchNorms), exported once for this class.</summary>
public sealed class FullMlrfNet : IDisposable
{
    public FullMlrfNet()
    {
        Model = RandomModels.Create(ModelVariants.Default, 14, seed: 21);
        var clock = Stopwatch.StartNew();
        Bytes = MLRFNetOnnxExporter.Build(Model, MLRFNetOnnxExporterTests.Metadata(Model)).ToBytes();
        ExportTime = clock.Elapsed;
        Ort = new OrtModel(Bytes);
    }

    public MLRFNetModel Model { get; }
    public byte[] Bytes { get; }
    public TimeSpan ExportTime { get; }
    internal OrtModel Ort { get; }

    public void Dispose()
    {
        Ort.Dispose();
        Model.Dispose();
    }
}

/// <summary>
/// Issue 5's parity requirement on the full model: ONNX Runtime (CPU, all optimizations) against TorchSharp's eval
/// forward on noise, chest phantoms and real X-rays, at batch 8 and batch 1.
/// </summary>
public sealed class FullModelExportTests(FullMlrfNet full, ITestOutputHelper output) : IClassFixture<FullMlrfNet>
{
    private static readonly string[] Maps = ["class_map_u2", "class_map_u3", "class_map_u4"];
    private const int ImageLength = 3 * 224 * 224;

    [Fact]
    public void Noise_and_phantoms_match_torchsharp_at_batch_8_and_batch_1()
    {
        float[] images = [.. TestImages.Gaussian(4, seed: 41), .. TestImages.Phantoms(4, full.Model.Variant.Preprocessing)];
        var reference = TorchReference.Run(full.Model, images, 8);
        var eight = full.Ort.Run(images, 8);
        var parity = Parity.Of(eight, reference, Maps);

        // Batch 1 through the same session, for one noise image and one phantom, against their rows of the batch of 8.
        var batchAgreement = 0.0;
        foreach (var n in new[] { 0, 5 })
        {
            var one = full.Ort.Run(TestImages.Image(images, n), 1);
            foreach (var (name, (values, _)) in eight)
            {
                var per = values.Length / 8;
                batchAgreement = Math.Max(batchAgreement, OrtRunner.MaxAbsDifference(one[name].Values, values.AsSpan(n * per, per).ToArray()));
            }
        }
        output.WriteLine($"mlrfnet (random weights), 4 noise + 4 phantoms at batch 8: {parity}");
        output.WriteLine($"ORT batch 1 vs batch 8, all outputs: max |diff| {batchAgreement:E2}");
        output.WriteLine($"export {full.ExportTime.TotalSeconds:F1} s, {full.Bytes.Length / 1048576.0:F1} MiB");
        parity.AssertWithinTolerance();
        Assert.InRange(batchAgreement, 0, Parity.Tolerance);
    }

    [SkippableFact]
    public void Real_xrays_match_torchsharp_at_batch_1()
    {
        var folder = SharedData.Require("nih-sample", "images");
        var files = Directory.GetFiles(folder, "*.png").Order(StringComparer.Ordinal).Take(2).ToArray();
        Skip.If(files.Length < 2, $"{folder} holds fewer than 2 PNG files.");
        var images = TestImages.Files(files, full.Model.Variant.Preprocessing);
        var reference = TorchReference.Run(full.Model, images, 2);

        var parity = new Parity(0, 0, 0, 0, 0);
        for (var n = 0; n < 2; n++)
        {
            var torchRow = new TorchOutputs(reference.Logits[(n * 14)..((n + 1) * 14)], reference.Probabilities[(n * 14)..((n + 1) * 14)],
                reference.ClassMaps.Select(m =>
                {
                    var per = m.Values.Length / 2;
                    return (m.Values.AsSpan(n * per, per).ToArray(), (long[])[1, .. m.Shape[1..]]);
                }).ToArray());
            parity = parity.Max(Parity.Of(full.Ort.Run(TestImages.Image(images, n, ImageLength), 1), torchRow, Maps));
        }
        output.WriteLine($"mlrfnet (random weights), {string.Join(", ", files.Select(Path.GetFileName))} at batch 1: {parity}");
        parity.AssertWithinTolerance();
    }

    [Fact]
    public void Onnx_runtime_is_as_close_to_a_float64_forward_as_torchsharp_float32_is()
    {
        // The exported graph is exact up to float32 rounding iff ORT's distance to the float64 forward of the same
        // weights is of the size of TorchSharp float32's own distance to it. A wrong fold (epsilon, statistics) or
        // a pooling mismatch would put ORT far outside.
        var image = TestImages.Gaussian(1, seed: 43);
        var single = TorchReference.Run(full.Model, image, 1);
        var ort = full.Ort.Run(image, 1);
        using var model64 = new MLRFNetModel(full.Model.Variant, 14);
        model64.load_state_dict(full.Model.state_dict());
        TorchSharp.ModuleExtensionMethods.to(model64, float64);
        model64.eval();
        float[] logits64;
        using (no_grad())
        {
            using var x = tensor(image).reshape(1, 3, 224, 224).to(float64);
            using var output64 = model64.ForwardWithScoreMaps(x);
            using var logits = output64.Logits.to(float32);
            logits64 = logits.data<float>().ToArray();
        }
        var torchError = OrtRunner.MaxAbsDifference(single.Logits, logits64);
        var ortError = OrtRunner.MaxAbsDifference(ort["logits"].Values, logits64);
        output.WriteLine($"max |logit - float64 logit|: TorchSharp float32 {torchError:E2}, ONNX Runtime {ortError:E2}");
        Assert.InRange(ortError, 0, 2 * torchError + 1e-6);
    }
}

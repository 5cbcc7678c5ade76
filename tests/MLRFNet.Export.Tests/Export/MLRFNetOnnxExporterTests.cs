using MLRFNet.Core.Labels;
using MLRFNet.Core.Manifest;
using MLRFNet.Export;
using MLRFNet.Export.Tests.Support;
using MLRFNet.Training.Models;
using Onnx;
using TorchSharp.Modules;
using Xunit.Abstractions;

namespace MLRFNet.Export.Tests.Export;

/// <summary>
/// mlrfnet-tiny (seeded random weights, calibrated BatchNorms) exported by <see cref="MLRFNetOnnxExporter"/>, run in
/// ONNX Runtime (CPU, all graph optimizations) and compared with the TorchSharp model's own eval forward.
/// </summary>
public sealed class MLRFNetOnnxExporterTests(ITestOutputHelper output)
{
    private static readonly string[] MrfcMaps = ["class_map_u2", "class_map_u3", "class_map_u4"];

    internal static OnnxModelMetadata Metadata(MLRFNetModel model) => new()
    {
        LabelSet = LabelSets.ChestXray14,
        Preprocessing = model.Variant.Preprocessing,
        Variant = model.Variant.Name,
        ExportedUtc = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    [Fact]
    public void Tiny_matches_torchsharp_on_random_images_at_batch_8_and_batch_1()
    {
        using var model = RandomModels.Create("mlrfnet-tiny", 14, seed: 11);
        var images = TestImages.Gaussian(8, seed: 5);
        var reference = TorchReference.Run(model, images, 8);
        using var ort = new OrtModel(MLRFNetOnnxExporter.Build(model, Metadata(model)).ToBytes());

        var eight = ort.Run(images, 8);
        var parity = Parity.Of(eight, reference, MrfcMaps);
        var batchAgreement = 0.0;
        for (var n = 0; n < 8; n++)
        {
            var one = ort.Run(TestImages.Image(images, n), 1);
            foreach (var name in eight.Keys)
            {
                var per = eight[name].Values.Length / 8;
                batchAgreement = Math.Max(batchAgreement, OrtRunner.MaxAbsDifference(one[name].Values, eight[name].Values.AsSpan(n * per, per).ToArray()));
            }
        }
        output.WriteLine($"mlrfnet-tiny, 8 random images: {parity}; ORT batch 1 vs batch 8 (all outputs): {batchAgreement:E2}");
        Informative(reference);
        parity.AssertWithinTolerance();
        Assert.InRange(parity.Logits, 0, 1e-4); // the tiny model's logits are O(1): absolute 1e-4 holds too
        Assert.InRange(batchAgreement, 0, 1e-5);
    }

    [Fact]
    public void Tiny_matches_torchsharp_on_chest_phantoms()
    {
        using var model = RandomModels.Create("mlrfnet-tiny", 14, seed: 12);
        var images = TestImages.Phantoms(4, model.Variant.Preprocessing);
        var reference = TorchReference.Run(model, images, 4);
        using var ort = new OrtModel(MLRFNetOnnxExporter.Build(model, Metadata(model)).ToBytes());

        var parity = Parity.Of(ort.Run(images, 4), reference, MrfcMaps);
        output.WriteLine($"mlrfnet-tiny, 4 phantoms: {parity}");
        Informative(reference);
        parity.AssertWithinTolerance();
        Assert.InRange(parity.Logits, 0, 1e-4);
    }

    [Fact]
    public void Graph_has_the_io_contract_and_one_conv_per_torchsharp_conv_with_state_dict_names()
    {
        using var model = RandomModels.Create("mlrfnet-tiny", 14, seed: 13);
        var proto = MLRFNetOnnxExporter.Build(model, Metadata(model)).Build();

        Assert.Equal(8, proto.IrVersion);
        Assert.Equal(17, Assert.Single(proto.OpsetImport).Version);
        Assert.Equal(MLRFNetOnnxExporter.ProducerName, proto.ProducerName);
        Assert.False(string.IsNullOrWhiteSpace(proto.ProducerVersion));
        Assert.Contains("mlrfnet-tiny", proto.DocString);
        var input = Assert.Single(proto.Graph.Input);
        Assert.Equal("image", input.Name);
        Assert.Equal(["N", "3", "224", "224"], Dims(input));
        Assert.Equal(["logits", "probabilities", .. MrfcMaps], proto.Graph.Output.Select(o => o.Name));
        Assert.Equal(["N", "14"], Dims(proto.Graph.Output[0]));
        Assert.Equal(["N", "14"], Dims(proto.Graph.Output[1]));
        Assert.Equal(["N", "14", "28", "28"], Dims(proto.Graph.Output[2]));
        Assert.Equal(["N", "14", "14", "14"], Dims(proto.Graph.Output[3]));
        Assert.Equal(["N", "14", "7", "7"], Dims(proto.Graph.Output[4]));

        // Every TorchSharp Conv2d (stem, blocks, downsamples, CSRA heads) and ECA Conv1d becomes exactly one Conv whose
        // weight keeps the module's state_dict name; BatchNorms are folded, so none is left.
        var convModules = model.named_modules().Where(m => m.module is Conv2d or Conv1d).Select(m => m.name).ToArray();
        var ops = proto.Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(convModules.Length, ops["Conv"]);
        Assert.False(ops.ContainsKey("BatchNormalization"));
        var initializers = proto.Graph.Initializer.Select(t => t.Name).ToHashSet();
        Assert.All(convModules, name => Assert.Contains(name + ".weight", initializers));
        Assert.Contains("eca3.conv.weight", initializers);
        Assert.Contains("classifier.csra.2.head.weight", initializers);
        Assert.Equal(3, ops["ReduceMax"]); // T = 99 in all three CSRA heads: max pooling
        Assert.Equal(
            [OnnxModelMetadata.ExportedUtcKey, OnnxModelMetadata.LabelSetKey, OnnxModelMetadata.LabelsKey, OnnxModelMetadata.PreprocessingKey, OnnxModelMetadata.VariantKey],
            proto.MetadataProps.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Export_restores_the_training_flag_and_refuses_a_label_set_of_another_size()
    {
        using var model = RandomModels.Create("mlrfnet-tiny", 14, seed: 14);
        model.train();
        MLRFNetOnnxExporter.Build(model, Metadata(model));
        Assert.True(model.training);

        var e = Assert.Throws<ArgumentException>(() =>
            MLRFNetOnnxExporter.Build(model, Metadata(model) with { LabelSet = LabelSets.CheXpertCompetition }));
        Assert.Contains("5 labels but the model has 14 outputs", e.Message);
    }

    /// <summary>
    /// Guards the parity tests' power: if the random model saturated every sigmoid, probabilities would agree
    /// whatever the graph computed.
    /// </summary>
    private void Informative(TorchOutputs reference)
    {
        var inRange = reference.Probabilities.Count(p => p is > 0.02f and < 0.98f) / (double)reference.Probabilities.Length;
        var mean = reference.Logits.Average();
        var sd = Math.Sqrt(reference.Logits.Average(l => (l - mean) * (l - mean)));
        output.WriteLine($"reference logits: mean {mean:F3}, sd {sd:F3}; {inRange:P0} of probabilities in (0.02, 0.98)");
        Assert.True(inRange > 0.5, $"Only {inRange:P0} of the reference probabilities are away from 0 and 1; the comparison would be weak.");
        Assert.True(sd > 0.05, $"Reference logits barely vary (sd {sd}); the comparison would be weak.");
    }

    internal static string[] Dims(ValueInfoProto v) =>
        v.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}

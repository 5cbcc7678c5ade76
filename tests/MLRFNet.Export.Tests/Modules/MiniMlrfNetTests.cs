using MLRFNet.Core.Labels;
using MLRFNet.Core.Manifest;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Inference;
using MLRFNet.Export.Tests.Support;
using Onnx;
using Xunit.Abstractions;

namespace MLRFNet.Export.Tests.Modules;

/// <summary>
/// A scaled-down MLRFNet (stem, three Res2Net stages, ECA and a CSRA head per level) written by the builder and the
/// emitters, loaded through the product's scorer (OnnxXrayScorer, all optimizations) and compared with PyTorch.
/// </summary>
public sealed class MiniMlrfNetTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("mlrfnet-onnx-");

    [Fact]
    public void Scorer_output_matches_pytorch_for_batch_one_and_eight()
    {
        var reference = GraphReferences.Instance["mini_mlrfnet"];
        var modelPath = SaveWithManifest();
        var image = reference.Input;
        const int imageLength = 3 * 224 * 224;
        float[][] images = [image[..imageLength], image[imageLength..]];

        using var single = new OnnxXrayScorer(modelPath, new XrayScorerOptions { BatchSize = 1 });
        using var batched = new OnnxXrayScorer(modelPath, new XrayScorerOptions { BatchSize = 8 });
        var one = images.Select(x => single.Score([x], includeClassMaps: true)[0]).ToArray();
        // Eight images (the two references, repeated) in one batch.
        var eight = batched.Score([.. images, .. images, .. images, .. images], includeClassMaps: true);

        double logit = 0, probability = 0, map = 0, batchAgreement = 0;
        for (var n = 0; n < 2; n++)
        {
            logit = Math.Max(logit, OrtRunner.MaxAbsDifference(one[n].Logits, Slice(reference.Output("logits"), n)));
            probability = Math.Max(probability, OrtRunner.MaxAbsDifference(one[n].Probabilities, Slice(reference.Output("probabilities"), n)));
            for (var m = 0; m < 3; m++)
            {
                var name = $"class_map_u{m + 2}";
                Assert.Equal(name, one[n].ClassMaps![m].Name);
                map = Math.Max(map, OrtRunner.MaxAbsDifference(one[n].ClassMaps![m].Values, Slice(reference.Output(name), n)));
            }
            for (var k = n; k < 8; k += 2)
            {
                batchAgreement = Math.Max(batchAgreement, OrtRunner.MaxAbsDifference(eight[k].Probabilities, one[n].Probabilities));
                batchAgreement = Math.Max(batchAgreement, OrtRunner.MaxAbsDifference(eight[k].Logits, one[n].Logits));
            }
        }
        output.WriteLine($"mini MLRFNet vs PyTorch: max |logit diff| {logit:E2}, max |probability diff| {probability:E2}, " +
                         $"max |class map diff| {map:E2}; batch 8 vs batch 1: {batchAgreement:E2}");
        Assert.InRange(probability, 0, 1e-4);
        Assert.InRange(logit, 0, 1e-4);
        Assert.InRange(map, 0, 1e-4);
        Assert.InRange(batchAgreement, 0, 1e-5);
    }

    [Fact]
    public void Model_has_the_export_contract_structure()
    {
        var model = ModelProto.Parser.ParseFrom(ReferenceGraphs.MiniMlrfNet().ToBytes());

        Assert.Equal(8, model.IrVersion);
        var opset = Assert.Single(model.OpsetImport);
        Assert.Equal("", opset.Domain);
        Assert.Equal(17, opset.Version);
        Assert.Equal("mlrfnet-tests", model.ProducerName);
        Assert.Equal("1", model.ProducerVersion);
        Assert.Contains("Scaled-down MLRFNet", model.DocString);
        Assert.Equal(["labels", "variant"], model.MetadataProps.Select(p => p.Key));

        var input = Assert.Single(model.Graph.Input);
        Assert.Equal("image", input.Name);
        Assert.Equal(["N", "3", "224", "224"], Dims(input));
        Assert.Equal(["logits", "probabilities", "class_map_u2", "class_map_u3", "class_map_u4"], model.Graph.Output.Select(o => o.Name));
        Assert.Equal(["N", "14", "28", "28"], Dims(model.Graph.Output[2]));
        Assert.All(model.Graph.Output, o => Assert.Equal("N", Dims(o)[0]));
        Assert.All(model.Graph.Output, o => Assert.Equal((int)TensorProto.Types.DataType.Float, o.Type.TensorType.ElemType));

        // BatchNorms are folded; each stage's first block pools its pass-through group with count_include_pad.
        var ops = model.Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        Assert.False(ops.ContainsKey("BatchNormalization"));
        Assert.Equal(3, ops["Split"]);
        Assert.Equal(3, ops["AveragePool"]);
        Assert.All(model.Graph.Node.Where(n => n.OpType == "AveragePool"),
            n => Assert.Equal(1, n.Attribute.Single(a => a.Name == "count_include_pad").I));
        Assert.Equal(2, ops["ReduceMax"]);   // two CSRA heads with T = 99
        Assert.Equal(1, ops["Softmax"]);     // one with T = 1
        // Initializers keep the module path of the state_dict they came from.
        Assert.Contains(model.Graph.Initializer, t => t.Name == "layer3.convs.2.weight");
        Assert.Contains(model.Graph.Initializer, t => t.Name == "head4.head.weight");
    }

    private string SaveWithManifest()
    {
        var path = Path.Combine(dir.FullName, "mini_mlrfnet.onnx");
        ReferenceGraphs.MiniMlrfNet().Save(path);
        new ModelManifest
        {
            ModelName = "mini-mlrfnet", ModelVersion = "test", Architecture = "mini-mlrfnet", Precision = ModelPrecision.Fp32,
            LabelSetName = LabelSets.ChestXray14.Name, Labels = [.. LabelSets.ChestXray14.Labels],
            Preprocessing = PreprocessingSpec.ImageNet, OnnxSha256 = ModelManifest.Sha256OfFile(path),
        }.Save(ModelManifest.ManifestPathFor(path));
        return path;
    }

    private static float[] Slice(MLRFNet.Export.Graph.FloatTensor t, int n)
    {
        var per = t.Values.Length / t.Shape[0];
        return t.Values.AsSpan(n * per, per).ToArray();
    }

    private static string[] Dims(ValueInfoProto v) =>
        v.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    public void Dispose() => dir.Delete(recursive: true);
}

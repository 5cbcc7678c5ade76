using Google.Protobuf;
using MLRFNet.Onnx.Quantization.Proto;
using MLRFNet.Training.Models.Backbones;
using Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRFNet.Training.Pretrained;

/// <summary>
/// Imports the Conv + BatchNormalization initializers of an ONNX ResNet (e.g. the ImageNet ResNet-18 of NuGet's
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1, exported by CNTK 2.6, opset 8) into a torchvision-layout
/// <see cref="ResNetBackbone"/>. ONNX graphs carry no torchvision names, so the backbone's convs are taken in forward
/// order and each gets the first unused graph Conv (in graph order) with the same weight shape and stride; its BN
/// is the BatchNormalization node that consumes the Conv's output. Afterwards every residual block must own a
/// contiguous run of graph convs, or the import is refused. Every mapped tensor is listed in the report.
/// </summary>
public static class OnnxResNetImporter
{
    private sealed record GraphConv(int Order, NodeProto Node, TensorProto Weight, long[] Stride, long[] Pads, NodeProto BatchNorm);

    private sealed record TargetConv(string ConvPrefix, string BatchNormPrefix, Conv2d Module);

    public static ImportReport Import(ResNetBackbone backbone, string onnxPath)
    {
        var model = ParseModel(onnxPath);
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var graphConvs = ReadConvs(graph, initializers, onnxPath);
        var targets = TargetConvs(backbone);
        var destination = backbone.state_dict();
        var notes = new List<string> { $"{Path.GetFileName(onnxPath)}: producer {model.ProducerName} {model.ProducerVersion}, opset {string.Join(",", model.OpsetImport.Select(o => o.Version))}" };

        if (graphConvs.Count != targets.Count)
            throw new PretrainedImportException($"{Path.GetFileName(onnxPath)} has {graphConvs.Count} Conv nodes, the {backbone.Config.Block} backbone has {targets.Count}; it is not the same architecture.");

        var used = new bool[graphConvs.Count];
        var mapping = new List<(TargetConv Target, GraphConv Source)>();
        foreach (var target in targets)
        {
            var shape = target.Module.weight!.shape;
            var stride = target.Module.stride;
            var index = Enumerable.Range(0, graphConvs.Count).FirstOrDefault(i => !used[i]
                && graphConvs[i].Weight.Dims.SequenceEqual(shape) && graphConvs[i].Stride.SequenceEqual(stride), -1);
            if (index < 0)
                throw new PretrainedImportException($"No unused Conv in {Path.GetFileName(onnxPath)} has weight [{string.Join("x", shape)}] and stride {string.Join("x", stride)} for {target.ConvPrefix}.");
            used[index] = true;
            mapping.Add((target, graphConvs[index]));
            CheckPadding(target, graphConvs[index], notes);
        }
        CheckBlocksAreContiguous(mapping);
        CheckMaxPool(graph, notes);

        var loaded = new List<ImportedTensor>();
        var consumed = new HashSet<string>(StringComparer.Ordinal);
        var values = new List<(string Key, float[] Data, TensorProto Source)>();
        foreach (var (target, source) in mapping)
        {
            values.Add(($"{target.ConvPrefix}.weight", Floats(source.Weight), source.Weight));
            // ONNX BatchNormalization inputs: X, scale, B, mean, var.
            string[] bnFields = ["weight", "bias", "running_mean", "running_var"];
            for (var i = 0; i < 4; i++)
            {
                var tensor = initializers[source.BatchNorm.Input[i + 1]];
                values.Add(($"{target.BatchNormPrefix}.{bnFields[i]}", Floats(tensor), tensor));
            }
        }
        foreach (var (key, data, source) in values)
        {
            var slot = destination[key];
            if (slot.numel() != data.Length)
                throw new PretrainedImportException($"{source.Name} has {data.Length} values, {key} needs {slot.numel()}.");
            loaded.Add(new ImportedTensor(source.Name, key, slot.shape));
            consumed.Add(source.Name);
        }
        using (no_grad())
            foreach (var (key, data, _) in values)
            {
                using var value = tensor(data).reshape(destination[key].shape);
                destination[key].copy_(value);
            }

        // num_batches_tracked only matters for BN momentum=None training; ONNX has no such tensor.
        var missing = destination.Keys.Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)
            && loaded.All(l => l.TargetKey != k)).ToList();
        var unexpected = initializers.Keys.Where(k => !consumed.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new PretrainedImportException($"Import of {Path.GetFileName(onnxPath)} left {missing.Count} backbone tensors without a source and {unexpected.Count} initializers unused.");
        return new ImportReport(Path.GetFileName(onnxPath), "backbone", loaded, [], [], [], notes);
    }

    /// <summary>
    /// Per-channel averages of the mean image subtracted by a preprocessing ONNX such as ResNetPrepOnnx/ResNetPreprocess.onnx
    /// (one initializer [1, 3, H, W]), in the channel order of that image.
    /// </summary>
    public static double[] MeanImageChannelMeans(string preprocessOnnxPath)
    {
        var graph = ParseModel(preprocessOnnxPath).Graph;
        var image = graph.Initializer.SingleOrDefault(t => t.Dims.Count == 4 && t.Dims[1] == 3)
            ?? throw new PretrainedImportException($"{Path.GetFileName(preprocessOnnxPath)} has no [1, 3, H, W] mean image initializer.");
        var data = Floats(image);
        var plane = data.Length / 3;
        return Enumerable.Range(0, 3).Select(c => data.Skip(c * plane).Take(plane).Sum(v => (double)v) / plane).ToArray();
    }

    private static ModelProto ParseModel(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX file '{path}' does not exist.", path);
        try { return ModelProto.Parser.ParseFromFile(path); }
        catch (InvalidProtocolBufferException e) { throw new PretrainedImportException($"'{path}' is not a readable ONNX model: {e.Message}"); }
    }

    private static List<GraphConv> ReadConvs(GraphProto graph, Dictionary<string, TensorProto> initializers, string path)
    {
        var consumers = graph.Node.Where(n => n.OpType == "BatchNormalization").ToDictionary(n => n.Input[0], StringComparer.Ordinal);
        var result = new List<GraphConv>();
        foreach (var node in graph.Node.Where(n => n.OpType == "Conv"))
        {
            if (node.Input.Count > 2 && !string.IsNullOrEmpty(node.Input[2]))
                throw new PretrainedImportException($"Conv {node.Name} in {Path.GetFileName(path)} has a bias; torchvision ResNet convs have none.");
            var attributes = node.Attribute.ToDictionary(a => a.Name, StringComparer.Ordinal);
            if (attributes.TryGetValue("group", out var group) && group.I != 1)
                throw new PretrainedImportException($"Conv {node.Name} is grouped ({group.I}); a ResNet conv is not.");
            if (!consumers.TryGetValue(node.Output[0], out var bn))
                throw new PretrainedImportException($"Conv {node.Name} output feeds no BatchNormalization; expected Conv -> BN pairs.");
            var epsilon = bn.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
            if (Math.Abs(epsilon - 1e-5f) > 1e-9f)
                throw new PretrainedImportException($"BatchNormalization {bn.Name} uses epsilon {epsilon}; the backbone's BN uses 1e-5.");
            result.Add(new GraphConv(result.Count, node, initializers[node.Input[1]],
                attributes.TryGetValue("strides", out var s) ? s.Ints.ToArray() : [1, 1],
                attributes.TryGetValue("pads", out var p) ? p.Ints.ToArray() : [0, 0, 0, 0], bn));
        }
        return result;
    }

    /// <summary>The backbone's convs in forward order with the BN that follows each (torchvision naming).</summary>
    private static List<TargetConv> TargetConvs(ResNetBackbone backbone) =>
        backbone.named_modules().Where(m => m.module is Conv2d)
            .Select(m => new TargetConv(m.name, BatchNormOf(m.name), (Conv2d)m.module)).ToList();

    private static string BatchNormOf(string convName)
    {
        var dot = convName.LastIndexOf('.');
        var (parent, leaf) = dot < 0 ? ("", convName) : (convName[..(dot + 1)], convName[(dot + 1)..]);
        // conv1 -> bn1, conv2 -> bn2, downsample.0 -> downsample.1
        return leaf.StartsWith("conv", StringComparison.Ordinal) ? parent + "bn" + leaf[4..] : parent + "1";
    }

    // PyTorch pads symmetrically; CNTK wrote [begin_h, begin_w, end_h, end_w] with ends 1 short on strided convs
    // ([3,3,2,2] on the 7x7/2 stem). Same begin padding means the same window positions; a shorter end only drops
    // a last output row/column when the input side is odd, so for even sides (224 -> 112 -> 56 -> 28 -> 14 -> 7) the
    // results are identical. Anything else is refused.
    private static void CheckPadding(TargetConv target, GraphConv source, List<string> notes)
    {
        var padding = target.Module.padding!;
        var p = source.Pads;
        if (p[0] != padding[0] || p[1] != padding[1])
            throw new PretrainedImportException($"{source.Node.Name}: begin pads [{p[0]},{p[1]}] differ from {target.ConvPrefix}'s padding {padding[0]}.");
        if (p[2] == padding[0] && p[3] == padding[1]) return;
        var strided = source.Stride.All(s => s == 2);
        if (strided && p[2] == padding[0] - 1 && p[3] == padding[1] - 1)
        {
            notes.Add($"{source.Node.Name} -> {target.ConvPrefix}: ONNX pads [{string.Join(",", p)}] vs symmetric {padding[0]}: identical output for even input sizes");
            return;
        }
        throw new PretrainedImportException($"{source.Node.Name}: pads [{string.Join(",", p)}] cannot be reproduced by {target.ConvPrefix}'s symmetric padding {padding[0]}.");
    }

    private static void CheckMaxPool(GraphProto graph, List<string> notes)
    {
        var pool = graph.Node.FirstOrDefault(n => n.OpType == "MaxPool");
        if (pool is null) throw new PretrainedImportException("The ONNX graph has no stem MaxPool; not a ResNet.");
        var a = pool.Attribute.ToDictionary(x => x.Name, StringComparer.Ordinal);
        var kernel = a["kernel_shape"].Ints.ToArray();
        var strides = a["strides"].Ints.ToArray();
        var pads = a.TryGetValue("pads", out var p) ? p.Ints.ToArray() : [0, 0, 0, 0];
        if (!kernel.SequenceEqual([3L, 3L]) || !strides.SequenceEqual([2L, 2L]) || pads[0] != 1 || pads[1] != 1 || pads[2] > 1 || pads[3] > 1)
            throw new PretrainedImportException($"Stem MaxPool {pool.Name} is kernel [{string.Join(",", kernel)}] stride [{string.Join(",", strides)}] pads [{string.Join(",", pads)}]; the backbone uses 3x3/2 pad 1.");
        if (pads[2] != 1 || pads[3] != 1)
            notes.Add($"{pool.Name} -> maxpool: ONNX pads [{string.Join(",", pads)}] vs symmetric 1: identical output for even input sizes");
    }

    /// <summary>Each residual block (layerN.M.*) must map to consecutive graph convs, and blocks in order.</summary>
    private static void CheckBlocksAreContiguous(List<(TargetConv Target, GraphConv Source)> mapping)
    {
        var lastEnd = -1;
        foreach (var block in mapping.GroupBy(m => BlockOf(m.Target.ConvPrefix)))
        {
            var orders = block.Select(m => m.Source.Order).Order().ToList();
            if (orders[0] != lastEnd + 1 || orders[^1] - orders[0] != orders.Count - 1)
                throw new PretrainedImportException($"Block {block.Key} maps to graph convs {string.Join(",", orders)}, which are not the next consecutive ones; the graph order does not follow the backbone.");
            lastEnd = orders[^1];
        }
    }

    private static string BlockOf(string convName)
    {
        var parts = convName.Split('.');
        return parts.Length >= 2 && parts[0].StartsWith("layer", StringComparison.Ordinal) ? $"{parts[0]}.{parts[1]}" : "stem";
    }

    /// <summary>
    /// An initializer's float32 values through the toolchain's one ONNX tensor reader (<see cref="TensorData"/>:
    /// raw_data or float_data, count checked against the dims, external data refused), its errors as import errors.
    /// </summary>
    private static float[] Floats(TensorProto tensor)
    {
        try
        {
            return TensorData.ReadFloats(tensor);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or PlatformNotSupportedException)
        {
            throw new PretrainedImportException($"Initializer {tensor.Name}: {e.Message}");
        }
    }
}

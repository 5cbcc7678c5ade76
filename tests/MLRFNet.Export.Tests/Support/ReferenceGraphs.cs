using MLRFNet.Export.Modules;
using MLRFNet.Export.Graph;

namespace MLRFNet.Export.Tests.Support;

/// <summary>
/// Builds, with OnnxGraphBuilder and the default emitter registry, the graph of every case in the PyTorch fixture,
/// mapping its state_dict names onto emitter specs the way the TorchSharp exporter will. Component graphs take
/// <c>input</c> [N, C, H, W] and give <c>output</c>; <see cref="MiniMlrfNet"/> has the product's I/O contract.
/// </summary>
internal static class ReferenceGraphs
{
    public const int Classes = 14;

    public static IReadOnlyList<string> CaseNames { get; } =
        ["res2net_first", "res2net_normal", "eca", "csra_max", "csra_softmax", "gap_fc", "mini_mlrfnet",
         "resnet_bottleneck_first", "resnet_bottleneck_normal", "basic_block_first", "basic_block_normal", "gap_fc_cam"];

    public static OnnxGraphBuilder Build(string caseName) => caseName switch
    {
        "res2net_first" => Component(caseName, (c, _) => Bottleneck(c, "", scale: 4, stride: 2, downsample: true)),
        "res2net_normal" => Component(caseName, (c, _) => Bottleneck(c, "", scale: 4, stride: 1, downsample: false)),
        "eca" => Component(caseName, (c, _) => new EcaModuleSpec(c.Vector("conv.weight"))),
        "csra_max" or "csra_softmax" => Component(caseName, (c, _) =>
            new ClassSpecificResidualAttentionSpec(c.Parameter("head.weight"), (float)c.Number("temperature"), (float)c.Number("lambda"))),
        "gap_fc" => Component(caseName, (c, _) => new GlobalAveragePoolClassifierSpec(c.Parameter("fc.weight"), c.Vector("fc.bias"))),
        "mini_mlrfnet" => MiniMlrfNet(),
        "resnet_bottleneck_first" => Component(caseName, (c, _) => TorchvisionBottleneck(c, stride: 2, downsample: true)),
        "resnet_bottleneck_normal" => Component(caseName, (c, _) => TorchvisionBottleneck(c, stride: 1, downsample: false)),
        "basic_block_first" => Component(caseName, (c, _) => BasicBlock(c, stride: 2, downsample: true)),
        "basic_block_normal" => Component(caseName, (c, _) => BasicBlock(c, stride: 1, downsample: false)),
        "gap_fc_cam" => Component(caseName, (c, _) => new GlobalAveragePoolClassifierSpec(c.Parameter("fc.weight"), c.Vector("fc.bias"), "class_map"),
            extraOutputs: ["class_map"]),
        _ => throw new ArgumentException($"No reference graph named '{caseName}'."),
    };

    public static Conv2dSpec ConvBn(GraphReferences.Case c, string conv, string bn, int stride = 1, int padding = 0) =>
        new(c.Parameter(conv + ".weight"))
        {
            BatchNorm = new BatchNormParameters(c.Vector(bn + ".weight"), c.Vector(bn + ".bias"), c.Vector(bn + ".running_mean"),
                c.Vector(bn + ".running_var"), 1e-5f),
            Stride = stride,
            Padding = padding,
        };

    public static Bottle2neckSpec Bottleneck(GraphReferences.Case c, string prefix, int scale, int stride, bool downsample) => new(
        ConvBn(c, prefix + "conv1", prefix + "bn1"),
        Enumerable.Range(0, Math.Max(1, scale - 1)).Select(i => ConvBn(c, $"{prefix}convs.{i}", $"{prefix}bns.{i}", stride, 1)).ToArray(),
        ConvBn(c, prefix + "conv3", prefix + "bn3"),
        downsample ? ConvBn(c, prefix + "downsample.0", prefix + "downsample.1", stride) : null,
        scale);

    // torchvision Bottleneck: the stride sits in conv2 (ResNet v1.5); downsample = Sequential(conv 1×1 stride, bn).
    private static BottleneckSpec TorchvisionBottleneck(GraphReferences.Case c, int stride, bool downsample) => new(
        ConvBn(c, "conv1", "bn1"), ConvBn(c, "conv2", "bn2", stride, 1), ConvBn(c, "conv3", "bn3"),
        downsample ? new SequentialSpec([ConvBn(c, "downsample.0", "downsample.1", stride)]) : null);

    private static BasicBlockSpec BasicBlock(GraphReferences.Case c, int stride, bool downsample) => new(
        ConvBn(c, "conv1", "bn1", stride, 1), ConvBn(c, "conv2", "bn2", 1, 1),
        downsample ? new SequentialSpec([ConvBn(c, "downsample.0", "downsample.1", stride)]) : null);

    private static OnnxGraphBuilder Component(string caseName, Func<GraphReferences.Case, OnnxGraphBuilder, IModuleSpec> spec,
        IReadOnlyList<string>? extraOutputs = null)
    {
        var c = GraphReferences.Instance[caseName];
        var g = new OnnxGraphBuilder(caseName, "mlrfnet-tests", "1");
        var context = new EmitContext(g, ModuleRegistry.CreateDefault());
        var s = c.InputShape;
        var input = g.AddInput("input", "N", s[1], s[2], s[3]);
        var output = g.Identity(context.Emit(spec(c, g), input, caseName), "output");
        var o = c.Output().Shape;
        g.AddOutput(output, ["N", .. o[1..].Select(d => (Dim)d)]);
        foreach (var extra in extraOutputs ?? []) g.AddOutput(extra, ["N", .. c.Output(extra).Shape[1..].Select(d => (Dim)d)]);
        return g;
    }

    /// <summary>Stem, three one-block Res2Net stages, ECA + CSRA per level, logits summed (make_graph_references.py MiniMlrfNet).</summary>
    public static OnnxGraphBuilder MiniMlrfNet()
    {
        var c = GraphReferences.Instance["mini_mlrfnet"];
        var g = new OnnxGraphBuilder("mini_mlrfnet", "mlrfnet-tests", "1")
        {
            DocString = "Scaled-down MLRFNet built by the ONNX builder tests.",
        };
        g.SetMetadata("variant", "mini-mlrfnet");
        g.SetMetadata("labels", "14 ChestX-ray14 labels");
        var context = new EmitContext(g, ModuleRegistry.CreateDefault());
        var image = g.AddInput("image", "N", 3, 224, 224);

        var stem = context.Emit(new SequentialSpec([ConvBn(c, "conv1", "bn1", stride: 2, padding: 3), new ReluSpec(), new MaxPool2dSpec(3, 2, 1)]), image, "stem");
        var u2 = context.Emit(Bottleneck(c, "layer2.", 4, 2, true), stem, "layer2");
        var u3 = context.Emit(Bottleneck(c, "layer3.", 4, 2, true), u2, "layer3");
        var u4 = context.Emit(Bottleneck(c, "layer4.", 4, 2, true), u3, "layer4");

        string Level(string map, int level, float temperature, float lambda)
        {
            var attended = context.Emit(new EcaModuleSpec(c.Vector($"eca{level}.conv.weight")), map, $"eca{level}");
            return context.Emit(new ClassSpecificResidualAttentionSpec(c.Parameter($"head{level}.head.weight"), temperature, lambda, $"class_map_u{level}"),
                attended, $"head{level}");
        }

        var logits = g.Add(g.Add(Level(u2, 2, 99, 0.1f), Level(u3, 3, 1, 0.2f)), Level(u4, 4, 99, 0.1f), outputName: "logits");
        g.Sigmoid(logits, outputName: "probabilities");
        g.AddOutput("logits", "N", Classes);
        g.AddOutput("probabilities", "N", Classes);
        g.AddOutput("class_map_u2", "N", Classes, 28, 28);
        g.AddOutput("class_map_u3", "N", Classes, 14, 14);
        g.AddOutput("class_map_u4", "N", Classes, 7, 7);
        return g;
    }
}

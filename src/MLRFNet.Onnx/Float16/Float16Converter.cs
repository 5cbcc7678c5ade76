using MLRFNet.Onnx.Quantization.Proto;
using Onnx;

namespace MLRFNet.Onnx.Float16;

/// <summary>
/// Converts an FP32 ONNX model to float16 weights and activations, keeping float32 graph inputs and outputs (Cast
/// nodes at the boundaries) and the ops of a block list in float32. Modelled on onnxconverter-common's
/// convert_float_to_float16 with keep_io_types=True
/// (https://github.com/microsoft/onnxconverter-common/blob/master/onnxconverter_common/float16.py), with tensor types
/// from ONNX Runtime instead of onnx shape inference. The result loads in ORT's CPU provider, which inserts its own
/// casts around ops lacking float16 kernels (no speed-up there; the gain is on CUDA/TensorRT and half the file).
/// </summary>
public static class Float16Converter
{
    private const int Float = (int)TensorProto.Types.DataType.Float;
    private const int Float16 = (int)TensorProto.Types.DataType.Float16;

    /// <summary>Ops whose float inputs may be of any precision (no cast needed before them).</summary>
    private static readonly HashSet<string> AnyPrecisionInputs = new(StringComparer.Ordinal) { "Cast", "Shape", "Size" };

    public static Float16Result Convert(string inputPath, string outputPath, Float16Options? options = null)
    {
        var result = Convert(OnnxModelFile.Load(inputPath), options);
        OnnxModelFile.Save(result.Model, outputPath);
        return result;
    }

    public static Float16Result Convert(ModelProto model, Float16Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options = (options ?? new Float16Options()).Validate();
        OnnxModelFile.RequireSupportedGraph(model, "float16 conversion");
        if (model.Graph.Initializer.Any(t => t.DataType == Float16) || model.Graph.Input.Any(i => i.Type?.TensorType?.ElemType == Float16))
            throw new InvalidDataException("The model already holds float16 tensors; convert the FP32 model instead (converting twice would add casts on casts).");

        var converted = model.Clone();
        var graph = converted.Graph;
        OnnxModelFile.NameUnnamedNodes(graph);
        var unknown = options.NodeBlockList.Where(n => graph.Node.All(node => node.Name != n)).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"Blocked node(s) {string.Join(", ", unknown.Select(n => $"'{n}'"))} are not in the graph; check the names.", nameof(options));

        var types = TensorTypes.Infer(converted);
        var index = new GraphIndex(graph);
        // Node names, not NodeProto: protobuf messages hash by value, and the nodes are edited below.
        var float32Nodes = graph.Node.Where(n => KeepsFloat32(n, index, options)).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var warnings = new List<Float16Warning>();

        // Precision of every float tensor as produced: true = float16.
        var isHalf = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            var half = !float32Nodes.Contains(node.Name);
            if (half) ConvertNodeConstants(node, options, warnings);
            foreach (var output in node.Output.Where(o => o.Length > 0 && types.IsFloat32(o)))
                isHalf[output] = half;
        }
        var convertedTensors = graph.Node.Count(n => !float32Nodes.Contains(n.Name) && n.OpType is "Constant" or "ConstantOfShape"
            && n.Attribute.Any(a => a.T?.DataType == Float16));

        // Float initializers used only by float16 nodes become float16; others stay float32 (and get casts).
        for (var i = 0; i < graph.Initializer.Count; i++)
        {
            var init = graph.Initializer[i];
            if (init.DataType != Float) continue;
            var consumers = index.ConsumersOf(init.Name);
            var allHalf = consumers.Count > 0 && consumers.All(c => !float32Nodes.Contains(c.Name) && !AnyPrecisionInputs.Contains(c.OpType));
            isHalf[init.Name] = allHalf;
            if (!allHalf) continue;
            var (tensor, warning) = HalfConversion.Convert(init, options);
            graph.Initializer[i] = tensor;
            convertedTensors++;
            if (warning is not null) warnings.Add(warning);
        }
        foreach (var input in graph.Input.Where(i => types.IsFloat32(i.Name) && !index.IsInitializer(i.Name))) isHalf[input.Name] = false;

        var casts = new Dictionary<(string, bool), string>();
        var newNodes = new List<NodeProto>();
        string CastOf(string tensor, bool toHalf)
        {
            if (casts.TryGetValue((tensor, toHalf), out var name)) return name;
            name = tensor + (toHalf ? "_cast_to_fp16" : "_cast_to_fp32");
            newNodes.Add(MakeCast(name, tensor, name, toHalf ? Float16 : Float));
            casts[(tensor, toHalf)] = name;
            return name;
        }

        // Graph outputs keep float32: a float16 producer writes "<out>_fp16", a Cast restores "<out>".
        foreach (var output in graph.Output.Where(o => isHalf.GetValueOrDefault(o.Name)))
        {
            var halfName = output.Name + "_fp16";
            foreach (var node in graph.Node)
            {
                for (var k = 0; k < node.Output.Count; k++) if (node.Output[k] == output.Name) node.Output[k] = halfName;
                for (var k = 0; k < node.Input.Count; k++) if (node.Input[k] == output.Name) node.Input[k] = halfName;
            }
            isHalf[halfName] = true;
            isHalf[output.Name] = false;
            newNodes.Add(MakeCast(output.Name + "_cast_to_fp32", halfName, output.Name, Float));
            casts[(halfName, false)] = output.Name;
        }

        foreach (var node in graph.Node)
        {
            if (AnyPrecisionInputs.Contains(node.OpType)) continue;
            var wantHalf = !float32Nodes.Contains(node.Name);
            for (var k = 0; k < node.Input.Count; k++)
            {
                var input = node.Input[k];
                if (!isHalf.TryGetValue(input, out var half) || half == wantHalf) continue;
                node.Input[k] = CastOf(input, wantHalf);
            }
        }

        graph.Node.AddRange(newNodes);
        // Intermediate value_info entries would now carry stale float32 types; they are optional, so drop them.
        graph.ValueInfo.Clear();
        GraphIndex.SortTopologically(graph);
        return new Float16Result
        {
            Model = converted,
            Warnings = warnings,
            Float32Nodes = graph.Node.Select(n => n.Name).Where(float32Nodes.Contains).ToArray(),
            CastsInserted = newNodes.Count,
            ConvertedTensors = convertedTensors,
        };
    }

    private static bool KeepsFloat32(NodeProto node, GraphIndex index, Float16Options options)
    {
        if (options.OpBlockList.Contains(node.OpType) || options.NodeBlockList.Contains(node.Name)) return true;
        return options.KeepOutputActivationsInFloat32 && node.OpType is "Sigmoid" or "Softmax"
            && node.Output.Any(index.GraphOutputs.Contains);
    }

    /// <summary>Float16 node: float Constant values become float16, Cast to float becomes Cast to float16.</summary>
    private static void ConvertNodeConstants(NodeProto node, Float16Options options, List<Float16Warning> warnings)
    {
        foreach (var attribute in node.Attribute)
        {
            if (node.OpType == "Cast" && attribute.Name == "to" && attribute.I == Float) attribute.I = Float16;
            if (attribute.T is { DataType: Float } tensor && node.OpType is "Constant" or "ConstantOfShape")
            {
                var (half, warning) = HalfConversion.Convert(tensor, options);
                half.Name = tensor.Name;
                attribute.T = half;
                if (warning is not null) warnings.Add(warning with { Tensor = node.Output[0] });
            }
        }
    }

    private static NodeProto MakeCast(string name, string input, string output, int to) => new()
    {
        Name = name,
        OpType = "Cast",
        Input = { input },
        Output = { output },
        Attribute = { new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = to } },
    };
}

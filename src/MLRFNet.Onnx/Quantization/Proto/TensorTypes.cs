using Onnx;

namespace MLRFNet.Onnx.Quantization.Proto;

/// <summary>
/// Element type (and shape when known) of every tensor in a graph. The Python converters call onnx's shape
/// inference for this; .NET has none, so the types come from ONNX Runtime itself: every node output is added to
/// a copy of the model as an untyped graph output, ORT resolves the graph (running its type and shape inference
/// on every node) and reports the type of each output in the session's output metadata.
/// </summary>
public sealed class TensorTypes
{
    private readonly Dictionary<string, (int ElementType, long[]? Dimensions)> types;

    private TensorTypes(Dictionary<string, (int, long[]?)> types) => this.types = types;

    public static TensorTypes Infer(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var probe = model.Clone();
        var graph = probe.Graph;
        var declared = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var output in graph.Node.SelectMany(n => n.Output))
            if (output.Length > 0 && declared.Add(output)) graph.Output.Add(new ValueInfoProto { Name = output });

        var map = new Dictionary<string, (int, long[]?)>(StringComparer.Ordinal);
        using (var runner = OrtModelRunner.Create(probe, new OrtRunnerOptions { Optimize = false }))
        {
            foreach (var (name, (elementType, dims)) in runner.OutputTypes())
                map[name] = (elementType, dims.Select(d => (long)d).ToArray());
            foreach (var input in runner.InputNames)
                map[input] = (model.Graph.Input.First(i => i.Name == input).Type?.TensorType?.ElemType ?? 0, runner.InputDimensions(input).Select(d => (long)d).ToArray());
        }
        foreach (var init in model.Graph.Initializer) map[init.Name] = (init.DataType, init.Dims.ToArray());
        return new TensorTypes(map);
    }

    /// <summary>The ONNX element type of <paramref name="tensor"/> (a <see cref="TensorProto.Types.DataType"/> value), or 0 when unknown.</summary>
    public int ElementType(string tensor) => types.TryGetValue(tensor, out var t) ? t.ElementType : 0;

    public bool IsFloat32(string tensor) => ElementType(tensor) == (int)TensorProto.Types.DataType.Float;

    /// <summary>Dimensions as ORT resolved them (-1 where symbolic), or null when unknown.</summary>
    public long[]? Dimensions(string tensor) => types.TryGetValue(tensor, out var t) ? t.Dimensions : null;

    /// <summary>A value info named <paramref name="name"/> with the given element type and the known shape of <paramref name="tensor"/>.</summary>
    public ValueInfoProto MakeValueInfo(string tensor, string name, TensorProto.Types.DataType type)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)type };
        if (Dimensions(tensor) is { } dims)
        {
            tensorType.Shape = new TensorShapeProto();
            foreach (var d in dims)
                tensorType.Shape.Dim.Add(d >= 0 ? new TensorShapeProto.Types.Dimension { DimValue = d } : new TensorShapeProto.Types.Dimension());
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}

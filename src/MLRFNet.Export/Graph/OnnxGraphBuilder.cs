using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace MLRFNet.Export.Graph;

/// <summary>
/// Writes an ONNX model (opset 17, IR version 8) node by node: initializers from float arrays, graph inputs and
/// outputs with a symbolic batch dimension, unique tensor names under nested scopes, and typed helpers for the
/// operators MLRFNet needs (in <c>OnnxGraphBuilder.Operators.cs</c>). Independent of TorchSharp: module emitters
/// (<see cref="Modules.IModuleExport"/>) call it with weights given as arrays.
/// </summary>
/// <remarks>
/// Opset 17 because TensorRT 8.5 (JetPack 5) reads opsets up to 17 (issue 5). IR version 8 is the one that goes with
/// opset 17 (onnx/docs/Versioning.md: ONNX 1.12 = IR 8 = opset 17). <see cref="AddNode"/> and <see cref="AddOutput"/>
/// check that every node input and every graph output names a tensor defined before it, so a wiring mistake fails here with the tensor's name
/// instead of inside ONNX Runtime.
/// </remarks>
public sealed partial class OnnxGraphBuilder
{
    public const int OpsetVersion = 17;
    public const long IrVersion = 8;

    private readonly GraphProto graph;
    private readonly HashSet<string> tensors = new(StringComparer.Ordinal);
    private readonly HashSet<string> nodeNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> metadata = new(StringComparer.Ordinal);
    private readonly List<string> scopes = [];

    public OnnxGraphBuilder(string graphName, string producerName = "mlrfnet", string producerVersion = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian; this writer only runs on little-endian hosts.");
        graph = new GraphProto { Name = graphName };
        ProducerName = producerName;
        ProducerVersion = producerVersion;
    }

    public string ProducerName { get; set; }
    public string ProducerVersion { get; set; }
    public string DocString { get; set; } = "";

    /// <summary>Adds or replaces one <c>metadata_props</c> entry (labels, preprocessing, checkpoint SHA-256, ...).</summary>
    public void SetMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        metadata[key] = value;
    }

    /// <summary>
    /// Prefixes the names created until the returned scope is disposed, e.g. <c>layer2.0</c>, so tensors and
    /// initializers carry the module path of the state_dict they came from.
    /// </summary>
    public IDisposable Scope(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        scopes.Add(name);
        var depth = scopes.Count;
        return new ScopeHandle(() =>
        {
            if (scopes.Count != depth) throw new InvalidOperationException($"Scope '{name}' closed out of order.");
            scopes.RemoveAt(depth - 1);
        });
    }

    /// <summary>A tensor name not used yet: the scoped hint, with <c>_1</c>, <c>_2</c>, ... appended on collision.</summary>
    public string UniqueName(string hint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hint);
        var stem = scopes.Count == 0 ? hint : string.Join('.', scopes) + "." + hint;
        var name = stem;
        for (var i = 1; tensors.Contains(name) || nodeNames.Contains(name); i++) name = $"{stem}_{i}";
        return name;
    }

    /// <summary>Whether a tensor of that name exists (input, initializer or node output).</summary>
    public bool HasTensor(string name) => tensors.Contains(name);

    /// <summary>Adds a float32 initializer under a unique name derived from <paramref name="hint"/>; returns the name.</summary>
    public string AddInitializer(string hint, float[] values, params int[] shape) =>
        AddInitializer(hint, new FloatTensor(values, shape));

    public string AddInitializer(string hint, FloatTensor data)
    {
        var name = UniqueName(hint);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        foreach (var d in data.Shape) tensor.Dims.Add(d);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data.Values.AsSpan()));
        graph.Initializer.Add(tensor);
        tensors.Add(name);
        return name;
    }

    /// <summary>Adds an int64 initializer (shapes, axes, split sizes); a 1-D tensor unless <paramref name="scalar"/>.</summary>
    public string AddInt64Initializer(string hint, long[] values, bool scalar = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (scalar && values.Length != 1) throw new ArgumentException("A scalar holds exactly one value.", nameof(values));
        var name = UniqueName(hint);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        if (!scalar) tensor.Dims.Add(values.Length);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        graph.Initializer.Add(tensor);
        tensors.Add(name);
        return name;
    }

    /// <summary>A float32 scalar initializer (shape []), for Mul/Add/Div by a constant.</summary>
    public string AddScalar(string hint, float value)
    {
        var name = UniqueName(hint);
        graph.Initializer.Add(new TensorProto
        {
            Name = name, DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(BitConverter.GetBytes(value)),
        });
        tensors.Add(name);
        return name;
    }

    /// <summary>Declares a float32 graph input with exactly this name (not scoped); returns it.</summary>
    public string AddInput(string name, params Dim[] shape)
    {
        ClaimExact(name);
        graph.Input.Add(ValueInfo(name, shape));
        return name;
    }

    /// <summary>Declares an existing tensor as a float32 graph output of the given shape.</summary>
    public void AddOutput(string tensorName, params Dim[] shape)
    {
        if (!tensors.Contains(tensorName))
            throw new InvalidOperationException($"Output '{tensorName}' is not a tensor of this graph; emit the node that produces it first.");
        if (graph.Output.Any(o => o.Name == tensorName))
            throw new InvalidOperationException($"'{tensorName}' is already a graph output.");
        graph.Output.Add(ValueInfo(tensorName, shape));
    }

    /// <summary>
    /// Appends a node of the default ONNX domain. Output names are <paramref name="outputNames"/> when given (used
    /// exactly, e.g. <c>logits</c>), else unique names derived from the op type. Returns the output names.
    /// </summary>
    public string[] AddNode(string opType, IReadOnlyList<string> inputs, int outputCount = 1,
        IReadOnlyList<string>? outputNames = null, params AttributeProto[] attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        foreach (var input in inputs)
            if (input.Length > 0 && !tensors.Contains(input))
                throw new InvalidOperationException($"{opType} input '{input}' is not defined yet (inputs: {string.Join(", ", inputs)}).");
        if (outputNames is not null && outputNames.Count != outputCount)
            throw new ArgumentException($"{opType}: {outputNames.Count} output names for {outputCount} outputs.", nameof(outputNames));

        var node = new NodeProto { OpType = opType, Domain = "" };
        var nodeName = UniqueName(opType);
        nodeNames.Add(nodeName);
        node.Name = nodeName;
        node.Input.AddRange(inputs);
        var outputs = new string[outputCount];
        for (var i = 0; i < outputCount; i++)
        {
            var name = outputNames?[i] ?? UniqueName(outputCount == 1 ? opType.ToLowerInvariant() : $"{opType.ToLowerInvariant()}_out{i}");
            ClaimExact(name);
            outputs[i] = name;
        }
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return outputs;
    }

    /// <summary>The model so far. Throws when it has no input or output.</summary>
    public ModelProto Build()
    {
        if (graph.Input.Count == 0) throw new InvalidOperationException("The graph has no input; call AddInput.");
        if (graph.Output.Count == 0) throw new InvalidOperationException("The graph has no output; call AddOutput.");
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            DocString = DocString,
            Graph = graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    public byte[] ToBytes() => Build().ToByteArray();

    /// <summary>Writes the model to <paramref name="path"/> (via a temporary file, so a crash leaves no half model).</summary>
    public void Save(string path) => Save(Build(), path);

    /// <summary>Writes an already built <paramref name="model"/> (saves building a large graph twice).</summary>
    public static void Save(ModelProto model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        var bytes = model.ToByteArray();
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp-" + Environment.ProcessId;
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, full, overwrite: true);
    }

    private void ClaimExact(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (tensors.Contains(name) || nodeNames.Contains(name))
            throw new InvalidOperationException($"Tensor name '{name}' is already used in this graph.");
        tensors.Add(name);
    }

    private static ValueInfoProto ValueInfo(string name, Dim[] shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var d in shape)
            tensorShape.Dim.Add(d.Symbol is { } s
                ? new TensorShapeProto.Types.Dimension { DimParam = s }
                : new TensorShapeProto.Types.Dimension { DimValue = d.Value!.Value });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape },
            },
        };
    }

    private sealed class ScopeHandle(Action close) : IDisposable
    {
        private Action? close = close;

        public void Dispose()
        {
            close?.Invoke();
            close = null;
        }
    }
}

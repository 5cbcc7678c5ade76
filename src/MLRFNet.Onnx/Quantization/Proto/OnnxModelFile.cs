using Google.Protobuf;
using Onnx;

namespace MLRFNet.Onnx.Quantization.Proto;

/// <summary>Loads, saves, copies and sanity-checks ONNX models for the FP16 converter and the INT8 quantizer.</summary>
public static class OnnxModelFile
{
    public static ModelProto Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"ONNX model '{path}' does not exist; pass the path of an exported .onnx file.", path);
        try
        {
            return ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"'{path}' is not an ONNX model (protobuf parse failed: {e.Message}).", e);
        }
    }

    /// <summary>Writes to a temporary name and renames, so a crash never leaves half a model.</summary>
    public static void Save(ModelProto model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var tmp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllBytes(tmp, model.ToByteArray());
        File.Move(tmp, path, overwrite: true);
    }

    public static ModelProto Clone(ModelProto model) => model.Clone();

    /// <summary>The default-domain opset the model imports (0 when it imports none).</summary>
    public static long DefaultOpset(ModelProto model) =>
        model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();

    /// <summary>
    /// Rejects what the converters do not handle: no graph, control flow (If/Loop/Scan subgraphs), functions.
    /// </summary>
    public static void RequireSupportedGraph(ModelProto model, string purpose)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Graph is null || model.Graph.Node.Count == 0)
            throw new InvalidDataException($"The model has no graph nodes; nothing to {purpose}.");
        foreach (var node in model.Graph.Node)
        {
            if (node.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0))
                throw new NotSupportedException(
                    $"Node '{node.Name}' ({node.OpType}) holds a subgraph; {purpose} supports graphs without control flow. Export the model without If/Loop/Scan.");
        }
        if (model.Functions.Count > 0)
            throw new NotSupportedException($"The model defines {model.Functions.Count} local functions; {purpose} needs them inlined (onnx.inliner) first.");
    }

    /// <summary>Gives every unnamed node a unique name (op type + index), so exclusions and reports can name it.</summary>
    public static void NameUnnamedNodes(GraphProto graph)
    {
        var used = new HashSet<string>(graph.Node.Select(n => n.Name).Where(n => !string.IsNullOrEmpty(n)), StringComparer.Ordinal);
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            if (!string.IsNullOrEmpty(node.Name)) continue;
            var name = $"{node.OpType}_{i}";
            while (!used.Add(name)) name += "_";
            node.Name = name;
        }
    }
}

using Onnx;

namespace MLRFNet.Onnx.Tests;

/// <summary>Small queries over produced graphs, for structure assertions.</summary>
internal static class GraphQueries
{
    public static int Count(this ModelProto model, string opType) => model.Graph.Node.Count(n => n.OpType == opType);

    public static NodeProto? Producer(this ModelProto model, string tensor) => model.Graph.Node.FirstOrDefault(n => n.Output.Contains(tensor));

    public static IEnumerable<NodeProto> Consumers(this ModelProto model, string tensor) => model.Graph.Node.Where(n => n.Input.Contains(tensor));

    public static NodeProto Node(this ModelProto model, string name) => model.Graph.Node.Single(n => n.Name == name);

    public static TensorProto Initializer(this ModelProto model, string name) => model.Graph.Initializer.Single(t => t.Name == name);

    public static string OpCounts(this ModelProto model) =>
        string.Join(" ", model.Graph.Node.GroupBy(n => n.OpType).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}:{g.Count()}"));
}

using Onnx;

namespace MLRFNet.Onnx.Quantization.Proto;

/// <summary>
/// Lookup tables over a graph: which node produces a tensor, which nodes consume it, initializers, graph inputs
/// and outputs. A snapshot: rebuild it after editing the graph.
/// </summary>
public sealed class GraphIndex
{
    private readonly Dictionary<string, NodeProto> producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> consumers = new(StringComparer.Ordinal);

    public GraphIndex(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Graph = graph;
        Initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        GraphInputs = graph.Input.Select(i => i.Name).Where(n => !Initializers.ContainsKey(n)).ToHashSet(StringComparer.Ordinal);
        GraphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output.Where(o => o.Length > 0)) producers[output] = node;
            foreach (var input in node.Input.Where(i => i.Length > 0))
            {
                if (!consumers.TryGetValue(input, out var list)) consumers[input] = list = [];
                if (!list.Any(n => ReferenceEquals(n, node))) list.Add(node);
            }
        }
        NodesByName = graph.Node.Where(n => n.Name.Length > 0).GroupBy(n => n.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    public GraphProto Graph { get; }
    public IReadOnlyDictionary<string, TensorProto> Initializers { get; }
    public IReadOnlySet<string> GraphInputs { get; }
    public IReadOnlySet<string> GraphOutputs { get; }
    public IReadOnlyDictionary<string, NodeProto> NodesByName { get; }

    public NodeProto? ProducerOf(string tensor) => producers.GetValueOrDefault(tensor);

    public IReadOnlyList<NodeProto> ConsumersOf(string tensor) =>
        consumers.TryGetValue(tensor, out var list) ? list : [];

    public bool IsInitializer(string tensor) => Initializers.ContainsKey(tensor);

    /// <summary>
    /// Orders the nodes so every input is produced before it is used (onnx.checker requires it); among ready
    /// nodes the original order wins, so an already sorted graph keeps its order.
    /// </summary>
    public static void SortTopologically(GraphProto graph)
    {
        var nodes = graph.Node.ToList();
        var producerIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < nodes.Count; k++)
            foreach (var o in nodes[k].Output.Where(o => o.Length > 0)) producerIndex[o] = k;
        // Kahn's algorithm with the original position as priority.
        var waiting = new int[nodes.Count];
        var dependants = new List<int>[nodes.Count];
        for (var k = 0; k < nodes.Count; k++) dependants[k] = [];
        for (var k = 0; k < nodes.Count; k++)
        {
            foreach (var p in nodes[k].Input.Where(i => i.Length > 0).Distinct(StringComparer.Ordinal))
            {
                if (!producerIndex.TryGetValue(p, out var producer)) continue;
                waiting[k]++;
                dependants[producer].Add(k);
            }
        }
        var ready = new PriorityQueue<int, int>();
        for (var k = 0; k < nodes.Count; k++) if (waiting[k] == 0) ready.Enqueue(k, k);
        var sorted = new List<NodeProto>(nodes.Count);
        while (ready.TryDequeue(out var k, out _))
        {
            sorted.Add(nodes[k]);
            foreach (var d in dependants[k])
                if (--waiting[d] == 0) ready.Enqueue(d, d);
        }
        if (sorted.Count != nodes.Count)
        {
            var blocked = nodes.First(n => !sorted.Any(s => ReferenceEquals(s, n)));
            throw new InvalidDataException($"The graph has a cycle (node '{blocked.Name}', {blocked.OpType}, never becomes ready).");
        }
        graph.Node.Clear();
        graph.Node.AddRange(sorted);
    }

    /// <summary>Drops initializers no node or graph output uses (e.g. float weights replaced by quantized ones).</summary>
    public static void RemoveUnusedInitializers(GraphProto graph)
    {
        var used = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        var unused = graph.Initializer.Where(t => !used.Contains(t.Name)).ToList();
        foreach (var t in unused) graph.Initializer.Remove(t);
        var unusedInputs = graph.Input.Where(i => !used.Contains(i.Name) && unused.Any(t => t.Name == i.Name)).ToList();
        foreach (var i in unusedInputs) graph.Input.Remove(i);
    }
}

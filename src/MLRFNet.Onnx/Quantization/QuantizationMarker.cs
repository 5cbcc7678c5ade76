using MLRFNet.Onnx.Quantization.Proto;
using Onnx;

namespace MLRFNet.Onnx.Quantization;

/// <summary>
/// What an op quantizer sees and may do: query the graph, then mark tensors (activation, shared activation,
/// weight, bias) or fuse an activation. Modelled on ORT's QDQQuantizer marking methods (quantize_activation_tensor,
/// quantize_output_same_as_input, quantize_weight_tensor_per_channel, quantize_bias_tensor,
/// try_replacing_upstream_output): https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/qdq_quantizer.py.
/// Nothing here edits the graph; <see cref="QdqGraphWriter"/> does, once, after all marks are in.
/// </summary>
public sealed class QuantizationMarker
{
    private readonly TensorTypes types;
    private readonly HashSet<string> renamedAway = new(StringComparer.Ordinal);

    internal QuantizationMarker(GraphIndex graph, TensorTypes types, QuantizationOptions options)
    {
        Graph = graph;
        this.types = types;
        Options = options;
    }

    public GraphIndex Graph { get; }
    public QuantizationOptions Options { get; }
    public QuantizationPlan Plan { get; } = new();
    internal NodeProto? CurrentNode { get; set; }

    /// <summary>A float32 tensor (inputs of other types, such as int64 shapes, are never quantized).</summary>
    public bool IsFloat(string tensor) => tensor.Length > 0 && types.IsFloat32(tensor);

    public bool IsInitializer(string tensor) => Graph.IsInitializer(tensor);

    public bool IsActivationMarked(string tensor) => Plan.Activations.ContainsKey(tensor);

    /// <summary>True when <paramref name="tensor"/> may get a Q/DQ pair as a node output (float; a graph output only if allowed).</summary>
    public bool CanQuantizeOutput(string tensor) =>
        IsFloat(tensor) && !IsInitializer(tensor) && (Options.QuantizeGraphOutputs || !Graph.GraphOutputs.Contains(tensor));

    /// <summary>All float outputs of <paramref name="node"/> may be quantized (needed by ops quantized as a unit).</summary>
    public bool CanQuantizeOutputs(NodeProto node) => node.Output.Where(o => o.Length > 0).All(CanQuantizeOutput);

    public void Activation(string tensor)
    {
        if (!IsFloat(tensor) || Plan.Weights.ContainsKey(tensor)) return;
        Plan.Activations.TryAdd(tensor, new ActivationMark(tensor, null));
        NoteNode();
    }

    /// <summary>Marks <paramref name="output"/> to reuse the scale and zero point of <paramref name="input"/>.</summary>
    public void SharedActivation(string output, string input)
    {
        if (!IsFloat(output) || !CanQuantizeOutput(output)) return;
        Plan.Activations[output] = new ActivationMark(output, input);
        NoteNode();
    }

    public void Weight(string tensor, int? axis)
    {
        if (!IsFloat(tensor)) return;
        if (!IsInitializer(tensor))
        {
            // A weight computed at run time (not an initializer) is quantized like any activation.
            Activation(tensor);
            return;
        }
        if (axis is { } a)
        {
            var rank = Graph.Initializers[tensor].Dims.Count;
            if (a < 0 || a >= rank) axis = null;
        }
        if (Plan.Weights.TryGetValue(tensor, out var existing) && existing.Axis != axis)
            throw new NotSupportedException(
                $"Weight '{tensor}' is used by nodes that need it quantized along different axes ({existing.Axis} and {axis}); give each node its own copy of the weight.");
        Plan.Activations.Remove(tensor);
        Plan.Weights[tensor] = new WeightMark(tensor, axis);
        NoteNode();
    }

    public void Bias(string bias, string input, string weight)
    {
        if (!IsFloat(bias) || !IsInitializer(bias)) return;
        Plan.Biases.TryAdd(bias, new BiasMark(bias, input, weight, CurrentNode?.Name ?? ""));
    }

    /// <summary>
    /// Drops <paramref name="activation"/> (a Relu or Clip) and renames its input's producer output to the
    /// activation's output, whose calibrated range ([0, max] after Relu) then does the clipping inside the
    /// QuantizeLinear. Only when the input is the output of another node, used by this node alone, not a graph
    /// input or output (ORT's try_replacing_upstream_output). Not either when a node kept in float reads the
    /// activation's output, or when that output is a graph output left float: they would read the producer's
    /// values from before the activation.
    /// </summary>
    public bool TryFuseIntoUpstream(NodeProto activation)
    {
        var input = activation.Input[0];
        var output = activation.Output[0];
        if (Graph.ProducerOf(input) is null || renamedAway.Contains(input)) return false;
        if (Graph.ConsumersOf(input).Count != 1 || Graph.GraphOutputs.Contains(input) || Graph.GraphInputs.Contains(input)) return false;
        if (Plan.Activations.Values.Any(a => a.SharedWith == input)) return false;
        if (Graph.ConsumersOf(output).Any(Options.IsExcluded)) return false;
        if (Graph.GraphOutputs.Contains(output) && !Options.QuantizeGraphOutputs) return false;
        Plan.Activations.Remove(input);
        renamedAway.Add(input);
        Plan.Fused.Add(new FusedActivation(activation.Name, input, output));
        NoteNode();
        return true;
    }

    /// <summary>Records that the current node is quantized as a unit (inputs and output together or not at all).</summary>
    public void MarkAsUnit()
    {
        if (CurrentNode is { } node) Plan.UnitNodes.Add(node.Name);
    }

    private void NoteNode()
    {
        if (CurrentNode is { } node) Plan.QuantizedNodes.Add(node.Name);
    }
}

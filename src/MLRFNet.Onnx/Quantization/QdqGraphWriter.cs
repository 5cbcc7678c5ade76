using MLRFNet.Onnx.Quantization.Calibration;
using MLRFNet.Onnx.Quantization.Proto;
using Onnx;

namespace MLRFNet.Onnx.Quantization;

/// <summary>
/// The one driver that edits the graph: it turns a <see cref="QuantizationPlan"/> into QuantizeLinear /
/// DequantizeLinear nodes and integer initializers, in ORT's phases (qdq_quantizer.py quantize_model, https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/qdq_quantizer.py:
/// fused activations removed, then weights and activations with their own parameters, then activations sharing
/// parameters, then biases, then unused float initializers dropped and the nodes re-sorted).
/// </summary>
internal sealed class QdqGraphWriter
{
    private readonly GraphProto graph;
    private readonly QuantizationPlan plan;
    private readonly QuantizationOptions options;
    private readonly IReadOnlyDictionary<string, TensorRange> ranges;
    private readonly Dictionary<string, ScaleZeroPoint> activationParameters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScaleZeroPoint[]> weightParameters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> parameterNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> excludedNodes;

    public QdqGraphWriter(GraphProto graph, QuantizationPlan plan, QuantizationOptions options, IReadOnlyDictionary<string, TensorRange> ranges)
    {
        this.graph = graph;
        this.plan = plan;
        this.options = options;
        this.ranges = ranges;
        excludedNodes = graph.Node.Where(options.IsExcluded).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Activation parameters chosen, by tensor (including shared ones), for reports and tests.</summary>
    public IReadOnlyDictionary<string, ScaleZeroPoint> ActivationParameters => activationParameters;

    public void Write()
    {
        RemoveFusedActivations();
        var index = new GraphIndex(graph);
        foreach (var weight in plan.Weights.Values) QuantizeWeight(index, weight);
        foreach (var mark in plan.Activations.Values.Where(a => a.SharedWith is null)) QuantizeActivation(index, mark.Tensor, Own(index, mark.Tensor));
        foreach (var mark in OrderShared()) QuantizeActivation(index, mark.Tensor, SharedRoot(mark));
        foreach (var bias in plan.Biases.Values) QuantizeBias(index, bias);
        GraphIndex.RemoveUnusedInitializers(graph);
        GraphIndex.SortTopologically(graph);
    }

    private void RemoveFusedActivations()
    {
        foreach (var fused in plan.Fused)
        {
            var node = graph.Node.First(n => n.Name == fused.Node);
            var producer = graph.Node.First(n => n.Output.Contains(fused.Input));
            producer.Output[producer.Output.IndexOf(fused.Input)] = fused.Output;
            graph.Node.Remove(node);
        }
    }

    private string Own(GraphIndex index, string tensor)
    {
        ScaleZeroPoint parameters;
        if (index.IsInitializer(tensor))
        {
            var values = TensorData.ReadFloats(index.Initializers[tensor]);
            var range = values.Length == 0 ? new TensorRange(0, 0) : new TensorRange(values.Min(), values.Max());
            parameters = QuantizationParameters.Compute(range, options.ActivationType, options.ActivationsSymmetric);
        }
        else
        {
            if (!ranges.TryGetValue(tensor, out var range))
                throw new InvalidOperationException($"No calibrated range for activation '{tensor}'; the calibration run did not produce it.");
            parameters = QuantizationParameters.Compute(range, options.ActivationType, options.ActivationsSymmetric);
        }
        activationParameters[tensor] = parameters;
        AddScalarParameters(tensor, parameters, options.ActivationType);
        return tensor;
    }

    /// <summary>Shared marks in dependency order, so a provider that is itself shared is resolved first.</summary>
    private IEnumerable<ActivationMark> OrderShared()
    {
        var pending = plan.Activations.Values.Where(a => a.SharedWith is not null).ToList();
        while (pending.Count > 0)
        {
            var ready = pending.Where(a => parameterNames.ContainsKey(a.SharedWith!)).ToList();
            if (ready.Count == 0)
                throw new InvalidOperationException(
                    $"Tensor '{pending[0].Tensor}' shares the quantization of '{pending[0].SharedWith}', which is not quantized.");
            foreach (var mark in ready)
            {
                pending.Remove(mark);
                yield return mark;
            }
        }
    }

    private string SharedRoot(ActivationMark mark)
    {
        var root = parameterNames[mark.SharedWith!];
        parameterNames[mark.Tensor] = root;
        activationParameters[mark.Tensor] = activationParameters[root];
        return root;
    }

    private void AddScalarParameters(string tensor, ScaleZeroPoint parameters, QuantizedElementType type)
    {
        graph.Initializer.Add(TensorData.FromFloats(TensorNames.Scale(tensor), [], [parameters.Scale]));
        graph.Initializer.Add(ZeroPoints(TensorNames.ZeroPoint(tensor), [], [parameters.ZeroPoint], type));
        parameterNames[tensor] = tensor;
    }

    /// <summary>T -> Q -> DQ -> consumers (graph outputs keep their name on the DQ output, as ORT does).</summary>
    private void QuantizeActivation(GraphIndex index, string tensor, string parametersOf)
    {
        var scale = TensorNames.Scale(parametersOf);
        var zeroPoint = TensorNames.ZeroPoint(parametersOf);
        if (index.IsInitializer(tensor))
        {
            var initializer = index.Initializers[tensor];
            var parameters = activationParameters[tensor];
            var clip = options.ActivationType.Saturation();
            var q = TensorData.ReadFloats(initializer).Select(v => QuantizationParameters.Quantize(v, parameters, clip)).ToArray();
            graph.Initializer.Add(ZeroPoints(TensorNames.Quantized(tensor), initializer.Dims, q, options.ActivationType));
            graph.Node.Add(Dequantize(tensor, TensorNames.Quantized(tensor), scale, zeroPoint, null));
            Rewire(index, tensor, TensorNames.DequantizeOutput(tensor));
            return;
        }

        // A graph output is only replaced by its dequantized value when graph outputs are quantized; otherwise the
        // output keeps the float tensor and only the consumers read the Q/DQ copy.
        var quantizedGraphOutput = options.QuantizeGraphOutputs && index.GraphOutputs.Contains(tensor);
        var consumers = index.ConsumersOf(tensor).Where(c => !excludedNodes.Contains(c.Name)).ToList();
        if (options.UsesDedicatedQdqPairs && consumers.Count > 1 && !quantizedGraphOutput)
        {
            // One pair per consumer, named with ORT's "_1", "_2"... postfix (DedicatedQDQPair).
            for (var k = 0; k < consumers.Count; k++)
            {
                var quantizeOutput = TensorNames.Dedicated(TensorNames.QuantizeOutput(tensor), k + 1);
                var dequantizeOutput = TensorNames.Dedicated(TensorNames.DequantizeOutput(tensor), k + 1);
                graph.Node.Add(Quantize(TensorNames.Dedicated(TensorNames.QuantizeNode(tensor), k + 1), tensor, scale, zeroPoint, quantizeOutput));
                var dequantize = Dequantize(tensor, quantizeOutput, scale, zeroPoint, null, dequantizeOutput);
                dequantize.Name = TensorNames.Dedicated(TensorNames.DequantizeNode(tensor), k + 1);
                graph.Node.Add(dequantize);
                Replace(consumers[k], tensor, dequantizeOutput);
            }
            return;
        }

        var quantizeInput = tensor;
        var output = TensorNames.DequantizeOutput(tensor);
        if (quantizedGraphOutput)
        {
            quantizeInput = TensorNames.QuantizeInput(tensor);
            output = tensor;
            var producer = index.ProducerOf(tensor)
                ?? throw new NotSupportedException($"Graph output '{tensor}' is also a graph input; it cannot be quantized.");
            producer.Output[producer.Output.IndexOf(tensor)] = quantizeInput;
            foreach (var consumer in index.ConsumersOf(tensor).Where(c => excludedNodes.Contains(c.Name)))
                Replace(consumer, tensor, quantizeInput);
        }
        else
        {
            Rewire(index, tensor, output);
        }
        graph.Node.Add(Quantize(TensorNames.QuantizeNode(tensor), quantizeInput, scale, zeroPoint, TensorNames.QuantizeOutput(tensor)));
        graph.Node.Add(Dequantize(tensor, TensorNames.QuantizeOutput(tensor), scale, zeroPoint, null, output));
    }

    private void QuantizeWeight(GraphIndex index, WeightMark mark)
    {
        var initializer = index.Initializers[mark.Tensor];
        var values = TensorData.ReadFloats(initializer);
        var dims = initializer.Dims.ToArray();
        var channels = mark.Axis is { } axis ? (int)dims[axis] : 1;
        var inner = mark.Axis is { } a2 ? dims.Skip(a2 + 1).Aggregate(1L, (x, d) => x * d) : values.Length;
        var parameters = new ScaleZeroPoint[channels];
        var quantized = new int[values.Length];
        var clip = options.WeightType.Range(symmetric: true);
        for (var c = 0; c < channels; c++)
        {
            var indices = ChannelIndices(values.Length, channels, inner, c).ToArray();
            var range = indices.Length == 0 ? new TensorRange(0, 0)
                : new TensorRange(indices.Min(i => values[i]), indices.Max(i => values[i]));
            parameters[c] = QuantizationParameters.Compute(range, options.WeightType, symmetric: true);
            foreach (var i in indices) quantized[i] = QuantizationParameters.Quantize(values[i], parameters[c], clip);
        }
        weightParameters[mark.Tensor] = parameters;
        long[] parameterDims = mark.Axis is null ? [] : [channels];
        graph.Initializer.Add(ZeroPoints(TensorNames.Quantized(mark.Tensor), dims, quantized, options.WeightType));
        graph.Initializer.Add(TensorData.FromFloats(TensorNames.Scale(mark.Tensor), parameterDims, parameters.Select(p => p.Scale).ToArray()));
        graph.Initializer.Add(ZeroPoints(TensorNames.ZeroPoint(mark.Tensor), parameterDims, parameters.Select(p => p.ZeroPoint).ToArray(), options.WeightType));
        graph.Node.Add(Dequantize(mark.Tensor, TensorNames.Quantized(mark.Tensor), TensorNames.Scale(mark.Tensor), TensorNames.ZeroPoint(mark.Tensor), mark.Axis));
        Rewire(index, mark.Tensor, TensorNames.DequantizeOutput(mark.Tensor));
    }

    /// <summary>bias_q = round(bias / (s_input * s_weight[c])) as int32, zero point 0 (ORT quantize_bias_static_impl).</summary>
    private void QuantizeBias(GraphIndex index, BiasMark mark)
    {
        if (!parameterNames.TryGetValue(mark.Input, out var inputParameters) || !weightParameters.TryGetValue(mark.Weight, out var weight))
            return;
        var inputScale = activationParameters[inputParameters].Scale;
        var values = TensorData.ReadFloats(index.Initializers[mark.Bias]);
        if (weight.Length != 1 && weight.Length != values.Length) return;
        var scales = new float[weight.Length];
        for (var c = 0; c < scales.Length; c++)
        {
            scales[c] = inputScale * weight[c].Scale;
            if (scales[c] == 0) scales[c] = 1f;
        }
        var quantized = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var q = Math.Round((double)(values[i] / scales[weight.Length == 1 ? 0 : i]), MidpointRounding.ToEven);
            quantized[i] = (int)Math.Clamp(q, int.MinValue, int.MaxValue);
        }
        long[] dims = weight.Length == 1 ? [] : [scales.Length];
        graph.Initializer.Add(TensorData.FromInt32(TensorNames.Quantized(mark.Bias), index.Initializers[mark.Bias].Dims, quantized));
        graph.Initializer.Add(TensorData.FromFloats(TensorNames.Scale(mark.Bias), dims, scales));
        graph.Initializer.Add(TensorData.FromInt32(TensorNames.ZeroPoint(mark.Bias), dims, new int[scales.Length]));
        graph.Node.Add(Dequantize(mark.Bias, TensorNames.Quantized(mark.Bias), TensorNames.Scale(mark.Bias), TensorNames.ZeroPoint(mark.Bias), weight.Length == 1 ? null : 0));
        Rewire(index, mark.Bias, TensorNames.DequantizeOutput(mark.Bias));
    }

    private static IEnumerable<int> ChannelIndices(int length, int channels, long inner, int channel)
    {
        if (channels == 1)
        {
            for (var i = 0; i < length; i++) yield return i;
            yield break;
        }
        var outer = length / (channels * inner);
        for (long o = 0; o < outer; o++)
            for (long k = 0; k < inner; k++)
                yield return (int)((o * channels + channel) * inner + k);
    }

    /// <summary>Points every consumer of <paramref name="tensor"/> at <paramref name="replacement"/>, except nodes kept in float.</summary>
    private void Rewire(GraphIndex index, string tensor, string replacement)
    {
        foreach (var consumer in index.ConsumersOf(tensor))
            if (!excludedNodes.Contains(consumer.Name)) Replace(consumer, tensor, replacement);
    }

    private static void Replace(NodeProto node, string from, string to)
    {
        for (var i = 0; i < node.Input.Count; i++)
            if (node.Input[i] == from) node.Input[i] = to;
    }

    private static NodeProto Quantize(string name, string input, string scale, string zeroPoint, string output) => new()
    {
        Name = name,
        OpType = "QuantizeLinear",
        Input = { input, scale, zeroPoint },
        Output = { output },
    };

    private static NodeProto Dequantize(string tensor, string quantized, string scale, string zeroPoint, int? axis, string? output = null)
    {
        var node = new NodeProto
        {
            Name = TensorNames.DequantizeNode(tensor),
            OpType = "DequantizeLinear",
            Input = { quantized, scale, zeroPoint },
            Output = { output ?? TensorNames.DequantizeOutput(tensor) },
        };
        if (axis is { } a) node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = a });
        return node;
    }

    private static TensorProto ZeroPoints(string name, IEnumerable<long> dims, int[] values, QuantizedElementType type) =>
        type == QuantizedElementType.Int8
            ? TensorData.FromInt8(name, dims, values.Select(v => checked((sbyte)v)).ToArray())
            : TensorData.FromUInt8(name, dims, values.Select(v => checked((byte)v)).ToArray());
}
